// pipeline.cpp — ports StableVideoDiffusionPipeline.__call__ from diffusers
// pipelines/stable_video_diffusion/pipeline_stable_video_diffusion.py: the same tensors, the
// same op order, and the same noise: a CPU generator seeded like torch.manual_seed(seed) draws
// the augmentation noise, then the initial latents, on the CPU (diffusers' randn_tensor does so
// for a CPU generator), and they are moved to the device — so a seed gives the same frames on
// CPU and GPU up to the device's arithmetic.
#include "pipeline.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/DeviceAccelerator.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/InferenceMode.h>

#include <cstdlib>

#include "attention.h"
#include "errors.h"
#include "image_ops.h"
#include "json.h"
#include "loader.h"

namespace pi {
namespace {

void put(Trace* trace, const std::string& key, const at::Tensor& t) {
    if (trace) (*trace)[key] = t.detach().to(at::kCPU).to(at::kFloat).contiguous().clone();
}

void check_progress(const Progress& progress, const char* stage, int step, int total) {
    if (progress && progress(stage, step, total))
        fail(PI_ERR_CANCELLED, std::string("generation cancelled by the progress callback during ") + stage +
                                   " (step " + std::to_string(step) + " of " + std::to_string(total) + ")");
}

}  // namespace

std::unique_ptr<SvdPipeline> SvdPipeline::load(const std::string& dir, const LoadOptions& o) {
    std::unique_ptr<SvdPipeline> p(new SvdPipeline());
    // device and dtype
    if (o.dtype == "fp32" || o.dtype == "float32") p->dtype_ = at::kFloat, p->dtype_name_ = "fp32";
    else if (o.dtype == "fp16" || o.dtype == "float16") p->dtype_ = at::kHalf, p->dtype_name_ = "fp16";
    else if (o.dtype == "bf16" || o.dtype == "bfloat16") p->dtype_ = at::kBFloat16, p->dtype_name_ = "bf16";
    else fail(PI_ERR_INVALID_ARGUMENT, "dtype: expected 'fp32', 'fp16' or 'bf16', got '" + o.dtype + "'");
    if (o.device == "cpu") {
        p->device_ = at::kCPU;
    } else if (o.device == "cuda" || o.device.rfind("cuda:", 0) == 0) {
        // A CUDA libtorch on a machine without a GPU (or driver) and a CPU-only libtorch need
        // different remedies: say which one this is.
        if (!at::hasCUDA() && at::detail::getCUDAHooks().isBuilt())
            fail(PI_ERR_DEVICE, "device '" + o.device + "': no GPU visible: this torch shim's libtorch has CUDA, but "
                                "no CUDA device can be used (no NVIDIA GPU, no driver, or CUDA_VISIBLE_DEVICES hides "
                                "it; nvidia-smi tells); use device 'cpu'");
        if (!at::hasCUDA())
            fail(PI_ERR_DEVICE, "device '" + o.device + "': this torch shim was built against a libtorch without CUDA; "
                                "rebuild with scripts/build-torch-shim against a CUDA PyTorch (LIBTORCH=... or "
                                "PYTHON=...) or use device 'cpu'");
        int index = 0;
        if (o.device.size() > 5) {
            try {
                index = std::stoi(o.device.substr(5));
            } catch (...) {
                fail(PI_ERR_INVALID_ARGUMENT, "device: expected 'cpu', 'cuda' or 'cuda:N', got '" + o.device + "'");
            }
        }
        const int count = at::accelerator::deviceCount();
        if (index < 0 || index >= count)
            fail(PI_ERR_DEVICE, "device '" + o.device + "': only " + std::to_string(count) +
                                " CUDA device(s) visible; use 'cuda' (the first), 'cuda:N' with N below " +
                                std::to_string(count) + ", or device 'cpu'");
        p->device_ = at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
    } else {
        fail(PI_ERR_INVALID_ARGUMENT, "device: expected 'cpu', 'cuda' or 'cuda:N', got '" + o.device + "'");
    }
    p->cheap_attention_ = p->device_.is_cuda();
    if (const char* e = std::getenv("PI_SVD_SINGLE_TOKEN_ATTENTION")) {
        const std::string v = e;
        if (v == "cheap") p->cheap_attention_ = true;
        else if (v == "full") p->cheap_attention_ = false;
        else fail(PI_ERR_INVALID_ARGUMENT, "PI_SVD_SINGLE_TOKEN_ATTENTION: expected 'cheap' or 'full', got '" + v + "'");
    }
    p->device_name_ = p->device_.str();
    if (p->device_.is_cuda() && !p->device_.has_index()) p->device_name_ += ":0";

    check_model_folder(dir);
    {
        const Json index = read_component_json(dir, "model_index.json");
        const Json* cls = index.find("_class_name");
        if (cls && cls->is_string() && cls->string() != "StableVideoDiffusionPipeline")
            fail(PI_ERR_MODEL, "not an SVD model folder: " + dir + "/model_index.json names '" + cls->string() +
                                   "', expected 'StableVideoDiffusionPipeline'");
    }
    p->unet_cfg_ = parse_unet_config(read_component_json(dir, "unet/config.json"));
    p->vae_cfg_ = parse_vae_config(read_component_json(dir, "vae/config.json"));
    const ClipVisionConfig clip_cfg = parse_clip_vision_config(read_component_json(dir, "image_encoder/config.json"));
    p->scheduler_cfg_ = parse_scheduler_config(read_component_json(dir, "scheduler/scheduler_config.json"));
    p->fe_cfg_ = parse_feature_extractor_config(read_component_json(dir, "feature_extractor/preprocessor_config.json"));
    if (p->unet_cfg_.addition_time_embed_dim * 3 != p->unet_cfg_.projection_class_embeddings_input_dim)
        fail(PI_ERR_MODEL, "unet/config.json: the added time embedding (fps, motion bucket, noise augmentation) has " +
                               std::to_string(p->unet_cfg_.addition_time_embed_dim * 3) +
                               " values but projection_class_embeddings_input_dim is " +
                               std::to_string(p->unet_cfg_.projection_class_embeddings_input_dim));
    if (clip_cfg.projection_dim != p->unet_cfg_.cross_attention_dim[0])
        fail(PI_ERR_MODEL, "image_encoder/config.json: projection_dim " + std::to_string(clip_cfg.projection_dim) +
                               " differs from the UNet's cross_attention_dim " +
                               std::to_string(p->unet_cfg_.cross_attention_dim[0]));
    for (size_t i = 0; i < p->unet_cfg_.cross_attention_dim.size(); ++i)
        if (p->unet_cfg_.cross_attention_dim[i] != clip_cfg.projection_dim)
            fail(PI_ERR_MODEL, "unet/config.json: cross_attention_dim " + std::to_string(p->unet_cfg_.cross_attention_dim[i]) +
                                   " of block " + std::to_string(i) + " differs from the image encoder's projection_dim " +
                                   std::to_string(clip_cfg.projection_dim) + " (every block attends to the image embedding)");
    // The pipeline feeds the image encoder 224x224 RGB (CLIPImageProcessor's crop) and the VAE RGB.
    if (clip_cfg.image_size != 224 || clip_cfg.num_channels != 3)
        fail(PI_ERR_MODEL, "image_encoder/config.json: image_size " + std::to_string(clip_cfg.image_size) + " and num_channels " +
                               std::to_string(clip_cfg.num_channels) + ", expected 224 and 3 (the pipeline feeds 224x224 RGB)");
    if (p->vae_cfg_.in_channels != 3 || p->vae_cfg_.out_channels != 3)
        fail(PI_ERR_MODEL, "vae/config.json: in_channels " + std::to_string(p->vae_cfg_.in_channels) + " and out_channels " +
                               std::to_string(p->vae_cfg_.out_channels) + ", expected 3 and 3 (RGB)");
    if (p->unet_cfg_.out_channels != p->vae_cfg_.latent_channels)
        fail(PI_ERR_MODEL, "unet/config.json: out_channels " + std::to_string(p->unet_cfg_.out_channels) +
                               " differs from the VAE's latent_channels " + std::to_string(p->vae_cfg_.latent_channels));
    if (p->unet_cfg_.in_channels != 2 * p->vae_cfg_.latent_channels)
        fail(PI_ERR_MODEL, "unet/config.json: in_channels " + std::to_string(p->unet_cfg_.in_channels) +
                               " is not twice the VAE's latent_channels " + std::to_string(p->vae_cfg_.latent_channels));
    EulerDiscreteScheduler check(p->scheduler_cfg_);  // fails early on unsupported settings
    (void)check;

    p->clip_ = std::make_shared<ClipVisionModelWithProjection>(clip_cfg);
    p->vae_ = std::make_shared<AutoencoderKLTemporalDecoder>(p->vae_cfg_);
    p->unet_ = std::make_shared<UNetSpatioTemporal>(p->unet_cfg_);

    LoadTarget target;
    target.device = p->device_;
    target.storage_dtype = p->dtype_;
    load_weights(*p->clip_, "image_encoder", weight_files(dir, "image_encoder", "model", o.variant), target);
    // diffusers upcasts an fp16 VAE to fp32 for encoding when force_upcast is set; the encoder
    // (and quant_conv) is only used there, so keep it in fp32 from the start.
    p->vae_encoder_upcast_ = p->dtype_ == at::kHalf && p->vae_cfg_.force_upcast;
    LoadTarget vae_target = target;
    if (p->vae_encoder_upcast_)
        vae_target.dtype_for = [](const std::string& key) {
            return (key.rfind("encoder.", 0) == 0 || key.rfind("quant_conv.", 0) == 0) ? at::kFloat : at::kHalf;
        };
    load_weights(*p->vae_, "vae", weight_files(dir, "vae", "diffusion_pytorch_model", o.variant), vae_target);
    load_weights(*p->unet_, "unet", weight_files(dir, "unet", "diffusion_pytorch_model", o.variant), target);
    p->release_cached_memory();
    return p;
}

void SvdPipeline::release_cached_memory() const {
    if (device_.is_cuda()) c10::getDeviceAllocator(at::kCUDA)->emptyCache();
}

at::Tensor SvdPipeline::encode_image(const uint8_t* rgb, int width, int height, int stride, Trace* trace) {
    c10::InferenceMode guard;
    at::Tensor x = rgb_to_tensor(rgb, width, height, stride);
    x = x * 2.0 - 1.0;
    x = resize_with_antialiasing(x, 224, 224);
    x = (x + 1.0) / 2.0;
    at::Tensor pixels = fe_cfg_.do_normalize ? clip_normalize(x, fe_cfg_.image_mean, fe_cfg_.image_std) : x.contiguous();
    put(trace, "clip_pixel_values", pixels);
    at::Tensor embeds = clip_->forward(pixels.to(device_, dtype_));
    put(trace, "image_embeds", embeds);
    return embeds;
}

at::Tensor SvdPipeline::vae_decode(const at::Tensor& latents, int num_frames) {
    c10::InferenceMode guard;
    return vae_->decode(latents.to(device_, dtype_), num_frames);
}

at::Tensor SvdPipeline::vae_encode(const at::Tensor& image) {
    c10::InferenceMode guard;
    return vae_->encode_mode(image.to(device_, vae_encoder_upcast_ ? at::kFloat : dtype_));
}

at::Tensor SvdPipeline::decode_latents(const at::Tensor& latents_in, int num_frames, int chunk,
                                       const Progress& progress) {
    at::Tensor latents = latents_in.flatten(0, 1);
    latents = latents * (1 / vae_cfg_.scaling_factor);
    std::vector<at::Tensor> frames;
    const int64_t total = latents.size(0);
    for (int64_t i = 0; i < total; i += chunk) {
        check_progress(progress, "decode", static_cast<int>(i), static_cast<int>(total));
        at::Tensor part = latents.slice(0, i, std::min<int64_t>(i + chunk, total));
        frames.push_back(vae_->decode(part, part.size(0)));
    }
    check_progress(progress, "decode", static_cast<int>(total), static_cast<int>(total));
    at::Tensor out = at::cat(frames, 0);
    frames.clear();
    out = out.reshape({-1, num_frames, out.size(1), out.size(2), out.size(3)}).permute({0, 2, 1, 3, 4});
    return out.to(at::kFloat);
}

at::Tensor SvdPipeline::generate(const uint8_t* rgb, int in_w, int in_h, int stride, const GenerateOptions& o,
                                 const Progress& progress, Trace* trace) {
    c10::InferenceMode guard;
    SingleTokenAttentionScope attention_mode(cheap_attention_);
    const int height = o.height > 0 ? o.height : default_height();
    const int width = o.width > 0 ? o.width : default_width();
    const int num_frames = o.frames > 0 ? o.frames : default_frames();
    const int chunk = o.decode_chunk > 0 ? o.decode_chunk : num_frames;
    if (height % 8 != 0 || width % 8 != 0)
        fail(PI_ERR_INVALID_ARGUMENT, "width and height must be multiples of 8, got " + std::to_string(width) + "x" +
                                          std::to_string(height));
    if (o.steps < 1) fail(PI_ERR_INVALID_ARGUMENT, "steps must be at least 1, got " + std::to_string(o.steps));
    const bool cfg = o.max_guidance > 1.0;  // do_classifier_free_guidance
    check_progress(progress, "encode", 0, 1);

    // CLIP embedding of the image as given
    at::Tensor embeds = encode_image(rgb, in_w, in_h, stride, trace).unsqueeze(1);
    embeds = embeds.repeat({1, 1, 1}).view({1, 1, -1});  // num_videos_per_prompt = 1
    if (cfg) embeds = at::cat({at::zeros_like(embeds), embeds});
    const int fps = o.fps - 1;  // the UNet was conditioned on fps - 1

    // The image the VAE encodes: resized like a PIL input, [-1, 1], plus augmentation noise.
    std::vector<uint8_t> resized;
    const uint8_t* src = rgb;
    int src_stride = stride;
    if (in_w != width || in_h != height) {
        resized = pil_resize_lanczos(rgb, in_w, in_h, stride, width, height);
        src = resized.data(), src_stride = width * 3;
    }
    at::Tensor image = 2.0 * rgb_to_tensor(src, width, height, src_stride) - 1.0;
    image = image.to(device_);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
    at::Tensor noise = at::randn(image.sizes(), gen, at::TensorOptions().dtype(image.scalar_type())).to(device_);
    image = image + o.noise_aug_strength * noise;
    put(trace, "vae_input", image);

    const at::ScalarType enc_dtype = vae_encoder_upcast_ ? at::kFloat : dtype_;
    at::Tensor image_latents = vae_->encode_mode(image.to(device_, enc_dtype));
    image_latents = image_latents.repeat({1, 1, 1, 1});
    if (cfg) image_latents = at::cat({at::zeros_like(image_latents), image_latents});
    image_latents = image_latents.to(embeds.scalar_type());
    put(trace, "image_latents", image_latents.slice(0, cfg ? 1 : 0));
    image_latents = image_latents.unsqueeze(1).repeat({1, num_frames, 1, 1, 1});

    at::Tensor added = at::tensor(std::vector<double>{double(fps), double(o.motion_bucket_id), o.noise_aug_strength},
                                  at::TensorOptions().dtype(at::kDouble))
                           .to(embeds.scalar_type())
                           .view({1, 3})
                           .repeat({1, 1});
    if (cfg) added = at::cat({added, added});
    added = added.to(device_);
    put(trace, "added_time_ids", added);
    put(trace, "encoder_hidden_states", embeds);
    release_cached_memory();

    EulerDiscreteScheduler scheduler(scheduler_cfg_);
    scheduler.set_timesteps(o.steps, device_);
    const int steps = scheduler.num_steps();
    const int scale = vae_cfg_.scale_factor();
    at::Tensor latents;
    if (o.latents.defined()) {
        latents = o.latents.to(device_, embeds.scalar_type());
    } else {
        latents = at::randn({1, num_frames, unet_cfg_.in_channels / 2, height / scale, width / scale}, gen,
                            at::TensorOptions().dtype(embeds.scalar_type()))
                      .to(device_);
    }
    latents = latents * scheduler.init_noise_sigma();
    at::Tensor guidance = at::linspace(o.min_guidance, o.max_guidance, num_frames, at::TensorOptions().dtype(at::kFloat))
                              .unsqueeze(0)
                              .to(device_, latents.scalar_type())
                              .repeat({1, 1})
                              .view({1, num_frames, 1, 1, 1});

    for (int i = 0; i < steps; ++i) {
        check_progress(progress, "denoise", i, steps);
        at::Tensor input = cfg ? at::cat({latents, latents}) : latents;
        input = scheduler.scale_model_input(input, i);
        input = at::cat({input, image_latents}, 2);
        if (i == 0) put(trace, "step0_unet_in", input);
        at::Tensor t = scheduler.timesteps()[i];
        at::Tensor noise_pred = unet_->forward(input, t, embeds, added);
        input.reset();
        put(trace, "step" + std::to_string(i) + "_unet_out", noise_pred);
        if (cfg) {
            auto parts = noise_pred.chunk(2);
            noise_pred = parts[0] + guidance * (parts[1] - parts[0]);
        }
        latents = scheduler.step(noise_pred, i, latents);
        put(trace, "step" + std::to_string(i) + "_t", t.reshape({1}));
        put(trace, "step" + std::to_string(i) + "_noise_pred", noise_pred);
        put(trace, "step" + std::to_string(i) + "_latents", latents);
    }
    check_progress(progress, "denoise", steps, steps);
    if (trace) {
        put(trace, "sigmas", scheduler.sigmas());
        put(trace, "timesteps", scheduler.timesteps());
    }
    image_latents.reset(), embeds.reset();
    release_cached_memory();

    at::Tensor frames = decode_latents(latents, num_frames, chunk, progress);
    latents.reset();
    at::Tensor np_frames = postprocess_frames(frames.select(0, 0).permute({1, 0, 2, 3}));
    frames.reset();
    put(trace, "frames", np_frames);
    at::Tensor u8 = frames_to_uint8(np_frames).to(at::kCPU);
    release_cached_memory();
    return u8;
}

}  // namespace pi
