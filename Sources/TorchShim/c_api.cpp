// c_api.cpp — the C ABI of include/podcast_i2v_torch.h over pi::SvdPipeline. Every entry point
// catches every exception and turns it into a pi_status plus a thread-local message; a CUDA
// out-of-memory error frees the allocator's cache and leaves the model usable.
#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <torch/version.h>

#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "errors.h"
#include "pipeline.h"
#include "podcast_i2v_torch.h"

#ifndef PI_SHIM_VERSION
#define PI_SHIM_VERSION "0.1.0"
#endif

struct pi_svd_model {
    std::unique_ptr<pi::SvdPipeline> pipeline;
};

struct pi_svd_frames {
    int count = 0, width = 0, height = 0;
    std::vector<uint8_t> rgb;  // count * height * width * 3
};

namespace {

thread_local std::string g_last_error;

pi_status set_error(pi_status s, const std::string& msg) {
    g_last_error = msg;
    return s;
}

const char* kOomHint =
    "; lower decode_chunk (e.g. 4 or 2), the resolution or the number of frames, or use dtype fp16";

// Runs f, mapping exceptions to statuses. Messages say what went wrong, not which C function was
// called: the caller knows that, and a caller that prints the message names its own operation.
template <class F>
pi_status guarded(const pi_svd_model* model, F&& f) {
    try {
        f();
        return PI_OK;
    } catch (const pi::Error& e) {
        return set_error(e.status(), e.what());
    } catch (const c10::OutOfMemoryError& e) {
        if (model && model->pipeline) {
            try {
                model->pipeline->release_cached_memory();
            } catch (...) {
            }
        }
        std::string msg = e.what_without_backtrace();
        return set_error(PI_ERR_OUT_OF_MEMORY, std::string("out of device memory (") +
                                                   msg.substr(0, msg.find('\n')) + ")" + kOomHint);
    } catch (const c10::Error& e) {
        std::string msg = e.what_without_backtrace();
        if (msg.find("out of memory") != std::string::npos || msg.find("CUDA out of memory") != std::string::npos)
            return set_error(PI_ERR_OUT_OF_MEMORY, msg.substr(0, msg.find('\n')) + kOomHint);
        return set_error(PI_ERR_INTERNAL, std::string("libtorch error: ") + msg);
    } catch (const std::bad_alloc&) {
        return set_error(PI_ERR_OUT_OF_MEMORY, std::string("out of host memory") + kOomHint);
    } catch (const std::exception& e) {
        return set_error(PI_ERR_INTERNAL, e.what());
    } catch (...) {
        return set_error(PI_ERR_INTERNAL, "unknown exception");
    }
}

std::string version_string() {
    std::string s = std::string(PI_SHIM_VERSION) + " (libtorch " + TORCH_VERSION;
    s += at::hasCUDA() ? ", cuda)" : ", cpu)";
    return s;
}

}  // namespace

extern "C" {

const char* pi_shim_version(void) {
    static const std::string v = [] {
        try {
            return version_string();
        } catch (...) {
            return std::string(PI_SHIM_VERSION " (libtorch " TORCH_VERSION ")");
        }
    }();
    return v.c_str();
}

const char* pi_last_error(void) { return g_last_error.c_str(); }

void pi_svd_load_params_init(pi_svd_load_params* p) {
    if (!p) return;
    p->device = "cpu";
    p->dtype = "fp32";
    p->variant = nullptr;
}

pi_status pi_svd_load(const char* model_dir, const pi_svd_load_params* p, pi_svd_model** out) {
    if (!out) return set_error(PI_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    if (!model_dir || !*model_dir) return set_error(PI_ERR_INVALID_ARGUMENT, "model_dir is NULL or empty");
    return guarded(nullptr, [&] {
        pi::LoadOptions o;
        if (p && p->device) o.device = p->device;
        if (p && p->dtype) o.dtype = p->dtype;
        if (p && p->variant) o.variant = p->variant;
        auto model = std::make_unique<pi_svd_model>();
        model->pipeline = pi::SvdPipeline::load(model_dir, o);
        *out = model.release();
    });
}

void pi_svd_free(pi_svd_model* m) {
    if (!m) return;
    try {
        bool cuda = m->pipeline && m->pipeline->device().is_cuda();
        m->pipeline.reset();
        delete m;
        if (cuda) c10::getDeviceAllocator(at::kCUDA)->emptyCache();
    } catch (...) {
    }
}

pi_status pi_svd_info(const pi_svd_model* m, pi_svd_model_info* out) {
    if (!m || !out) return set_error(PI_ERR_INVALID_ARGUMENT, "model or out is NULL");
    return guarded(m, [&] {
        out->num_frames = m->pipeline->default_frames();
        out->sample_width = m->pipeline->default_width();
        out->sample_height = m->pipeline->default_height();
        out->device = m->pipeline->device_name().c_str();
        out->dtype = m->pipeline->dtype_name().c_str();
    });
}

void pi_svd_gen_params_init(pi_svd_gen_params* p) {
    if (!p) return;
    std::memset(p, 0, sizeof *p);
    p->steps = 25;
    p->fps = 7;
    p->motion_bucket_id = 127;
    p->noise_aug_strength = 0.02f;
    p->min_guidance = 1.0f;
    p->max_guidance = 3.0f;
}

pi_status pi_svd_generate(pi_svd_model* m, const uint8_t* rgb, int width, int height, int stride,
                          const pi_svd_gen_params* p, pi_progress_fn progress, void* user, pi_svd_frames** out) {
    if (!out) return set_error(PI_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    if (!m || !m->pipeline) return set_error(PI_ERR_INVALID_ARGUMENT, "model is NULL");
    if (!rgb) return set_error(PI_ERR_INVALID_ARGUMENT, "rgb is NULL");
    if (width <= 0 || height <= 0 || stride < width * 3)
        return set_error(PI_ERR_INVALID_ARGUMENT, "bad image geometry " + std::to_string(width) + "x" +
                                                      std::to_string(height) + " stride " + std::to_string(stride) +
                                                      " (expected positive sizes and stride >= width * 3)");
    pi_svd_gen_params defaults;
    pi_svd_gen_params_init(&defaults);
    const pi_svd_gen_params& g = p ? *p : defaults;
    auto bad = [](const std::string& what) { return set_error(PI_ERR_INVALID_ARGUMENT, what); };
    if (g.width < 0 || g.height < 0 || g.width % 8 || g.height % 8)
        return bad("width and height must be 0 (model default) or positive multiples of 8, got " +
                   std::to_string(g.width) + "x" + std::to_string(g.height));
    if (g.frames < 0 || g.frames > PI_MAX_FRAMES)
        return bad("frames must be 0 (model default) or 1.." + std::to_string(PI_MAX_FRAMES) + ", got " + std::to_string(g.frames));
    if (g.steps < 1 || g.steps > 1000) return bad("steps must be 1..1000, got " + std::to_string(g.steps));
    if (g.decode_chunk < 0) return bad("decode_chunk must be >= 0, got " + std::to_string(g.decode_chunk));
    if (!(g.noise_aug_strength >= 0) || !(g.min_guidance >= 0) || !(g.max_guidance >= 0))
        return bad("noise_aug_strength, min_guidance and max_guidance must be >= 0");
    return guarded(m, [&] {
        pi::GenerateOptions o;
        o.width = g.width, o.height = g.height, o.frames = g.frames, o.steps = g.steps, o.fps = g.fps;
        o.motion_bucket_id = g.motion_bucket_id, o.noise_aug_strength = g.noise_aug_strength;
        o.min_guidance = g.min_guidance, o.max_guidance = g.max_guidance, o.decode_chunk = g.decode_chunk;
        o.seed = g.seed;
        pi::Progress cb;
        if (progress) cb = [&](const char* stage, int step, int total) { return progress(user, stage, step, total) != 0; };
        at::Tensor u8 = m->pipeline->generate(rgb, width, height, stride, o, cb);
        auto frames = std::make_unique<pi_svd_frames>();
        frames->count = static_cast<int>(u8.size(0));
        frames->height = static_cast<int>(u8.size(1));
        frames->width = static_cast<int>(u8.size(2));
        frames->rgb.assign(u8.data_ptr<uint8_t>(), u8.data_ptr<uint8_t>() + u8.numel());
        *out = frames.release();
    });
}

int pi_svd_frames_count(const pi_svd_frames* f) { return f ? f->count : 0; }
int pi_svd_frames_width(const pi_svd_frames* f) { return f ? f->width : 0; }
int pi_svd_frames_height(const pi_svd_frames* f) { return f ? f->height : 0; }

const uint8_t* pi_svd_frames_rgb(const pi_svd_frames* f, int index) {
    if (!f || index < 0 || index >= f->count) return nullptr;
    return f->rgb.data() + static_cast<size_t>(index) * f->width * f->height * 3;
}

void pi_svd_frames_free(pi_svd_frames* f) { delete f; }

pi_status pi_svd_memory_stats(const pi_svd_model* m, int reset, pi_memory_stats* out) {
    if (!m || !out) return set_error(PI_ERR_INVALID_ARGUMENT, "model or out is NULL");
    return guarded(m, [&] {
        std::memset(out, 0, sizeof *out);
        const at::Device& d = m->pipeline->device();
        if (!d.is_cuda()) return;
        auto* alloc = c10::getDeviceAllocator(at::kCUDA);
        const auto idx = d.has_index() ? d.index() : c10::DeviceIndex(0);
        auto stats = alloc->getDeviceStats(idx);
        const size_t agg = static_cast<size_t>(c10::CachingAllocator::StatType::AGGREGATE);
        out->allocated = stats.allocated_bytes[agg].current;
        out->reserved = stats.reserved_bytes[agg].current;
        out->peak_allocated = stats.allocated_bytes[agg].peak;
        if (reset) alloc->resetPeakStats(idx);
    });
}

}  // extern "C"
