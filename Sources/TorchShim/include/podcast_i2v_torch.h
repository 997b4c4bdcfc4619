/*
 * podcast_i2v_torch.h — the whole contract of the torch shim (libpodcast_i2v_torch.so).
 *
 * A C++ port of Hugging Face diffusers' StableVideoDiffusionPipeline on libtorch, behind a
 * plain C ABI: opaque handles, new/free pairs, params_init functions that fill diffusers'
 * defaults, a progress callback that can cancel. No C++ types cross this boundary.
 *
 * Errors: every function that can fail returns a pi_status; pi_last_error() then holds a
 * readable message (what failed, which file/key, what was expected, and what to do where there
 * is a remedy). It does not name the C function: the caller knows which one it called, and
 * names its own operation when it shows the message. Callers branch on the pi_status, never on
 * the message's words. The message is thread-local and stays valid until the next failing call
 * on the same thread.
 * No function throws, aborts or exits. All free functions accept NULL.
 *
 * Threads: a model handle may be used from any thread, but not from two at once.
 */
#ifndef PODCAST_I2V_TORCH_H
#define PODCAST_I2V_TORCH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PI_API __attribute__((visibility("default")))
#else
#define PI_API
#endif

typedef struct pi_svd_model pi_svd_model;   /* opaque: a loaded pipeline, resident on its device */
typedef struct pi_svd_frames pi_svd_frames; /* opaque: generated RGB8 frames */

typedef enum {
    PI_OK = 0,
    PI_ERR_INVALID_ARGUMENT = 1, /* a NULL pointer, an out-of-range parameter, an unknown device/dtype */
    PI_ERR_IO = 2,               /* a missing or unreadable file or folder */
    PI_ERR_MODEL = 3,            /* a malformed config or checkpoint: missing/unused tensor, wrong shape */
    PI_ERR_DEVICE = 4,           /* the device asked for is not available in this build / machine */
    PI_ERR_OUT_OF_MEMORY = 5,    /* the device ran out of memory; the model stays usable */
    PI_ERR_CANCELLED = 6,        /* the progress callback asked to stop; the model stays usable */
    PI_ERR_INTERNAL = 7          /* anything else libtorch reported */
} pi_status;

/* e.g. "0.1.0 (libtorch 2.13.0, cpu)", or "0.1.0 (libtorch 2.11.0, cuda)" when this libtorch
 * has CUDA and a GPU is visible. Part of the clip-cache key: a new shim or libtorch may change
 * the frames. Static storage. */
PI_API const char *pi_shim_version(void);

/* The message of the last failing call on this thread ("" if none). */
PI_API const char *pi_last_error(void);

/* ---- loading ---------------------------------------------------------------------------- */

typedef struct {
    const char *device;  /* "cpu" (default), "cuda", "cuda:N" */
    const char *dtype;   /* "fp32" (default), "fp16", "bf16": weights and compute */
    const char *variant; /* NULL: load diffusion_pytorch_model.safetensors / model.safetensors;
                            "fp16": load *.fp16.safetensors (any stored dtype is converted to dtype) */
} pi_svd_load_params;

PI_API void pi_svd_load_params_init(pi_svd_load_params *p);

/* Loads a Hugging Face diffusers folder as published for stabilityai/stable-video-diffusion-img2vid(-xt):
 * model_index.json, unet/, vae/, image_encoder/, scheduler/scheduler_config.json,
 * feature_extractor/preprocessor_config.json. p may be NULL (defaults). *out is set only on PI_OK. */
PI_API pi_status pi_svd_load(const char *model_dir, const pi_svd_load_params *p, pi_svd_model **out);

PI_API void pi_svd_free(pi_svd_model *m); /* NULL is a no-op; releases the model's device memory */

typedef struct {
    int num_frames;    /* unet config num_frames (14 for img2vid, 25 for -xt) */
    int sample_width;  /* unet sample_size * vae scale factor (768 for SVD): the size used for width or
                          height 0, as diffusers does for None; note diffusers' __call__ itself
                          defaults to 1024x576, so pass that explicitly for the same output */
    int sample_height;
    const char *device; /* as resolved at load, e.g. "cuda:0"; valid while the model lives */
    const char *dtype;  /* "fp32", "fp16" or "bf16" */
} pi_svd_model_info;

PI_API pi_status pi_svd_info(const pi_svd_model *m, pi_svd_model_info *out);

/* ---- model folders ----------------------------------------------------------------------- */

/* The files whose absence means "not an SVD model folder" (the diffusers layout of
 * stabilityai/stable-video-diffusion-img2vid), ':'-separated. The one statement of the rule:
 * the shim's loader checks it, and Swift (which imports it) checks it before hashing the
 * weights, so both turn away the same folders. Weights are checked by the loader, which knows
 * the variant. */
/* One literal on one line: Swift imports a macro that is a single string literal, not a concatenation. */
#define PI_MODEL_FOLDER_FILES "model_index.json:unet/config.json:vae/config.json:image_encoder/config.json:scheduler/scheduler_config.json:feature_extractor/preprocessor_config.json"

/* ---- generation ------------------------------------------------------------------------- */

/* The most frames one generation may ask for (pi_svd_gen_params.frames). SVD was trained on 14
 * (img2vid) and 25 (-xt) frames; the UNet's temporal attention and the latents grow with the
 * frame count, so a number far above that is a typo that would exhaust device memory before it
 * failed. 128 leaves room for models trained on longer clips. Callers validate against this
 * same constant (Swift imports it). */
#define PI_MAX_FRAMES 128

typedef struct {
    int width, height;        /* output size; 0 = model default (sample_width/height); multiples of 8 */
    int frames;               /* 0 = model num_frames; at most PI_MAX_FRAMES */
    int steps;                /* denoising steps, default 25 */
    int fps;                  /* default 7; the UNet is conditioned on fps - 1, as in diffusers */
    int motion_bucket_id;     /* default 127 */
    float noise_aug_strength; /* default 0.02 */
    float min_guidance;       /* default 1.0: guidance of the first frame */
    float max_guidance;       /* default 3.0: of the last frame (linear in between); <= 1 disables CFG */
    int decode_chunk;         /* frames per VAE decode; 0 = all frames at once (diffusers' default) */
    uint64_t seed;            /* torch.manual_seed(seed): same frames on CPU and GPU */
} pi_svd_gen_params;

PI_API void pi_svd_gen_params_init(pi_svd_gen_params *p); /* diffusers' defaults, seed 0 */

/* Called with stage "encode" (step 0, total 1), "denoise" (before step 0 and after each step:
 * step = steps done, total = steps), "decode" (step = frames decoded, total = frames).
 * Return non-zero to cancel: generate then returns PI_ERR_CANCELLED within one step. */
typedef int (*pi_progress_fn)(void *user, const char *stage, int step, int total);

/* rgb: RGB8 input image, width x height, stride bytes per row (>= width*3).
 * As in diffusers, the CLIP image embedding is computed from the image as given (an
 * antialiased resize to 224x224), and the image the VAE encodes is resized to the output
 * size when it differs, with a port of PIL's Image.resize(LANCZOS) on 8-bit RGB (what diffusers'
 * VaeImageProcessor does to a PIL image), so the frames match diffusers given the same PIL image.
 * The aspect ratio is not preserved (no crop), as in diffusers.
 * progress may be NULL. *out is set only on PI_OK; free it with pi_svd_frames_free. */
PI_API pi_status pi_svd_generate(pi_svd_model *m, const uint8_t *rgb, int width, int height, int stride,
                                 const pi_svd_gen_params *p, pi_progress_fn progress, void *user,
                                 pi_svd_frames **out);

PI_API int pi_svd_frames_count(const pi_svd_frames *f);  /* 0 for NULL */
PI_API int pi_svd_frames_width(const pi_svd_frames *f);
PI_API int pi_svd_frames_height(const pi_svd_frames *f);
/* RGB8, tightly packed (stride width*3); NULL for NULL or an index out of range. */
PI_API const uint8_t *pi_svd_frames_rgb(const pi_svd_frames *f, int index);
PI_API void pi_svd_frames_free(pi_svd_frames *f); /* NULL is a no-op */

/* ---- diagnostics ------------------------------------------------------------------------ */

typedef struct {
    int64_t allocated;      /* bytes now held by tensors on the model's device (CUDA caching allocator) */
    int64_t reserved;       /* bytes the caching allocator holds from the driver */
    int64_t peak_allocated; /* high-water mark since the last reset */
} pi_memory_stats;

/* Memory of the model's device; all zero on CPU. reset != 0 resets the peak afterwards. */
PI_API pi_status pi_svd_memory_stats(const pi_svd_model *m, int reset, pi_memory_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* PODCAST_I2V_TORCH_H */
