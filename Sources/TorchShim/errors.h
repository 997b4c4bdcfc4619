// errors.h — the one exception type of the shim. Its status becomes the pi_status the C ABI
// returns; libtorch's own exceptions are mapped in c_api.cpp.
#pragma once

#include <stdexcept>
#include <string>

#include "podcast_i2v_torch.h"

namespace pi {

class Error : public std::runtime_error {
public:
    Error(pi_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    pi_status status() const { return status_; }

private:
    pi_status status_;
};

[[noreturn]] inline void fail(pi_status status, const std::string& message) { throw Error(status, message); }

}  // namespace pi
