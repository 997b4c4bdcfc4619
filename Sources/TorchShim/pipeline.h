// pipeline.h — port of diffusers pipelines/stable_video_diffusion/pipeline_stable_video_diffusion.py
// (StableVideoDiffusionPipeline.__call__ with output_type "np", then uint8), over the networks.
// This C++ API is internal: the C ABI (c_api.cpp) and the tests use it.
#pragma once

#include <ATen/ATen.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "clip_vision.h"
#include "config.h"
#include "scheduler_euler.h"
#include "unet_spatio_temporal.h"
#include "vae.h"

namespace pi {

struct LoadOptions {
    std::string device = "cpu";  // "cpu", "cuda", "cuda:N"
    std::string dtype = "fp32";  // "fp32", "fp16", "bf16"
    std::string variant;         // "" or e.g. "fp16"
};

struct GenerateOptions {
    int width = 0, height = 0, frames = 0;  // 0: model defaults
    int steps = 25, fps = 7, motion_bucket_id = 127;
    double noise_aug_strength = 0.02, min_guidance = 1.0, max_guidance = 3.0;
    int decode_chunk = 0;  // 0: all frames at once
    uint64_t seed = 0;
    at::Tensor latents;  // optional (1, F, C, h, w): replaces the seeded initial noise
};

// Returns true to cancel.
using Progress = std::function<bool(const char* stage, int step, int total)>;

// Intermediate tensors by name (as in the fixture: clip_pixel_values, image_embeds, ...), filled
// when a Trace is passed to generate(); float32 CPU copies.
using Trace = std::map<std::string, at::Tensor>;

class SvdPipeline {
public:
    static std::unique_ptr<SvdPipeline> load(const std::string& dir, const LoadOptions& o);

    // uint8 frames (F, H, W, 3) on CPU. Throws pi::Error (PI_ERR_CANCELLED when progress asks).
    at::Tensor generate(const uint8_t* rgb, int width, int height, int stride, const GenerateOptions& o,
                        const Progress& progress = nullptr, Trace* trace = nullptr);

    // The pieces, for tests: CLIP image embeddings (1, D) of an RGB8 image, the VAE decode of
    // latents (N, C, h, w) with num_frames per decode call (frames (N, 3, H, W) in [-1, 1]).
    at::Tensor encode_image(const uint8_t* rgb, int width, int height, int stride, Trace* trace = nullptr);
    at::Tensor vae_decode(const at::Tensor& latents, int num_frames);
    // The VAE latent mode of images (N, 3, H, W) in [-1, 1] (fp32 encoder when upcast).
    at::Tensor vae_encode(const at::Tensor& image);

    int default_frames() const { return unet_cfg_.num_frames; }
    int default_width() const { return unet_cfg_.sample_size * vae_cfg_.scale_factor(); }
    int default_height() const { return unet_cfg_.sample_size * vae_cfg_.scale_factor(); }
    const at::Device& device() const { return device_; }
    at::ScalarType dtype() const { return dtype_; }
    const std::string& device_name() const { return device_name_; }
    const std::string& dtype_name() const { return dtype_name_; }

    // The cheap single-token cross-attention (attention.h): on by default on CUDA, off on CPU so
    // CPU results are bit-identical to diffusers; PI_SVD_SINGLE_TOKEN_ATTENTION=cheap|full overrides.
    bool cheap_attention() const { return cheap_attention_; }
    void set_cheap_attention(bool on) { cheap_attention_ = on; }

    // Frees cached device memory (CUDA caching allocator); no-op on CPU.
    void release_cached_memory() const;

private:
    SvdPipeline() = default;
    at::Tensor decode_latents(const at::Tensor& latents, int num_frames, int chunk, const Progress& progress);

    at::Device device_ = at::kCPU;
    at::ScalarType dtype_ = at::kFloat;
    std::string device_name_, dtype_name_;
    bool vae_encoder_upcast_ = false;
    bool cheap_attention_ = false;
    UNetConfig unet_cfg_;
    VaeConfig vae_cfg_;
    SchedulerConfig scheduler_cfg_;
    FeatureExtractorConfig fe_cfg_;
    std::shared_ptr<ClipVisionModelWithProjection> clip_;
    std::shared_ptr<AutoencoderKLTemporalDecoder> vae_;
    std::shared_ptr<UNetSpatioTemporal> unet_;
};

}  // namespace pi
