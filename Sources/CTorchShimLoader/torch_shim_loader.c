#include "torch_shim_loader.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#define RESOLVE(field, symbol)                                                          \
    do {                                                                                \
        *(void **)(&api->field) = dlsym(handle, symbol);                                \
        if (!api->field) {                                                              \
            snprintf(error, error_size, "%s has no symbol %s (a shim from another version?)", \
                     path, symbol);                                                     \
            return -1;                                                                  \
        }                                                                               \
    } while (0)

int pi_shim_open(const char *path, pi_shim_api *api, char *error, size_t error_size) {
    memset(api, 0, sizeof *api);
    // RTLD_LOCAL: libtorch's many symbols stay out of the executable's namespace.
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *reason = dlerror();
        snprintf(error, error_size, "%s", reason ? reason : "dlopen failed");
        return -1;
    }
    RESOLVE(shim_version, "pi_shim_version");
    RESOLVE(last_error, "pi_last_error");
    RESOLVE(load_params_init, "pi_svd_load_params_init");
    RESOLVE(load, "pi_svd_load");
    RESOLVE(free_model, "pi_svd_free");
    RESOLVE(info, "pi_svd_info");
    RESOLVE(gen_params_init, "pi_svd_gen_params_init");
    RESOLVE(generate, "pi_svd_generate");
    RESOLVE(frames_count, "pi_svd_frames_count");
    RESOLVE(frames_width, "pi_svd_frames_width");
    RESOLVE(frames_height, "pi_svd_frames_height");
    RESOLVE(frames_rgb, "pi_svd_frames_rgb");
    RESOLVE(frames_free, "pi_svd_frames_free");
    return 0;
}
