// The torch shim, opened at run time: its C ABI (one header, shared with Sources/TorchShim) as a
// table of function pointers, so the executable builds and runs with no libtorch present.
#ifndef TORCH_SHIM_LOADER_H
#define TORCH_SHIM_LOADER_H

#include <stddef.h>
#include "../../TorchShim/include/podcast_i2v_torch.h"

typedef struct {
    const char *(*shim_version)(void);
    const char *(*last_error)(void);
    void (*load_params_init)(pi_svd_load_params *p);
    pi_status (*load)(const char *model_dir, const pi_svd_load_params *p, pi_svd_model **out);
    void (*free_model)(pi_svd_model *m);
    pi_status (*info)(const pi_svd_model *m, pi_svd_model_info *out);
    void (*gen_params_init)(pi_svd_gen_params *p);
    pi_status (*generate)(pi_svd_model *m, const uint8_t *rgb, int width, int height, int stride,
                          const pi_svd_gen_params *p, pi_progress_fn progress, void *user,
                          pi_svd_frames **out);
    int (*frames_count)(const pi_svd_frames *f);
    int (*frames_width)(const pi_svd_frames *f);
    int (*frames_height)(const pi_svd_frames *f);
    const uint8_t *(*frames_rgb)(const pi_svd_frames *f, int index);
    void (*frames_free)(pi_svd_frames *f);
} pi_shim_api;

// Opens the shared library at `path` and resolves every function. Returns 0 and fills `api`, or
// -1 with the reason (dlopen's or the missing symbol's) in `error`. The library stays loaded for
// the life of the process: libtorch does not survive being unloaded.
int pi_shim_open(const char *path, pi_shim_api *api, char *error, size_t error_size);


#endif
