// exports.cpp — the shared library's only own translation unit. The C ABI lives in c_api.cpp
// (inside the static core, linked whole); this file makes the exported symbol set explicit:
// everything in podcast_i2v_torch.h has default visibility, all else is hidden.
#include "podcast_i2v_torch.h"
