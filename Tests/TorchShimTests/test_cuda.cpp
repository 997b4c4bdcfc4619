// test_cuda.cpp — the GPU path, run only where libtorch has CUDA and a GPU is visible (SKIP
// otherwise): the fixture on cuda in fp32 (TF32 convolutions, cheap single-token attention:
// close, not bit-exact), fp16 and bf16 generation, the noise being the CPU's, out-of-memory
// turned into PI_ERR_OUT_OF_MEMORY with the model still usable, and memory statistics.
#include <cmath>
#include <cstring>

#include "fixture.h"
#include "image_ops.h"
#include "podcast_i2v_torch.h"
#include "test_util.h"

namespace pitest {
namespace {

void require_cuda() {
    if (!at::hasCUDA()) throw Skip("no CUDA in this libtorch or no GPU visible");
}

std::unique_ptr<pi::SvdPipeline> load_cuda(const std::string& dtype) {
    pi::LoadOptions o;
    o.device = "cuda";
    o.dtype = dtype;
    return pi::SvdPipeline::load(model_dir(), o);
}

// Generates the "seed" run; returns (uint8 frames, trace).
at::Tensor generate_seed(pi::SvdPipeline& p, pi::Trace* trace) {
    at::Tensor input = run_input("seed");
    return p.generate(input.data_ptr<uint8_t>(), int(input.size(1)), int(input.size(0)), int(input.size(1) * 3),
                      run_options("seed"), nullptr, trace);
}

std::string u8_stats(const at::Tensor& got, const at::Tensor& want) {
    at::Tensor d = (got.to(at::kInt) - want.to(at::kInt)).abs().to(at::kFloat);
    return "uint8 max " + std::to_string(int(d.max().item<float>())) + " mean " + fmt(d.mean().item<double>());
}

}  // namespace

PI_TEST(cuda_fp32, "cuda: fp32 generation close to diffusers' CPU fixture; same noise") {
    require_cuda();
    auto p = load_cuda("fp32");
    REQUIRE(p->cheap_attention());
    pi::Trace trace;
    at::Tensor u8 = generate_seed(*p, &trace);
    // The noise is drawn on the CPU, so the augmented image matches (one GPU multiply-add).
    double dnoise = max_abs_diff(trace.at("vae_input"), expect_tensor("seed.vae_input"));
    REQUIRE_MSG(dnoise <= 1e-6, "vae_input differs by " << fmt(dnoise));
    std::string out = "vae_input " + fmt(dnoise);
    for (const char* k : {"image_embeds", "image_latents", "step0_unet_out", "step2_latents", "frames"}) {
        at::Tensor want = expect_tensor(std::string("seed.") + k);
        double d = max_abs_diff(trace.at(k), want);
        const double scale = std::max(1.0, want.abs().max().item<double>());
        REQUIRE_MSG(d <= 2e-2 * scale, k << " differs by " << fmt(d));
        out += std::string(", ") + k + " " + fmt(d);
    }
    return out + ", " + u8_stats(u8, pi::frames_to_uint8(expect_tensor("seed.frames")));
}

PI_TEST(cuda_half, "cuda: fp16 and bf16 generation run and stay near the fp32 frames") {
    require_cuda();
    std::string out;
    at::Tensor want = pi::frames_to_uint8(expect_tensor("seed.frames"));
    for (const char* dtype : {"fp16", "bf16"}) {
        auto p = load_cuda(dtype);
        at::Tensor u8 = generate_seed(*p, nullptr);
        REQUIRE(u8.sizes() == want.sizes());
        at::Tensor d = (u8.to(at::kInt) - want.to(at::kInt)).abs().to(at::kFloat);
        REQUIRE_MSG(d.mean().item<double>() < 8.0, dtype << ": mean uint8 difference " << d.mean().item<double>());
        out += std::string(out.empty() ? "" : "; ") + dtype + " " + u8_stats(u8, want);
    }
    return out;
}

PI_TEST(cuda_oom, "cuda: out of memory -> PI_ERR_OUT_OF_MEMORY with advice; the model still generates") {
    require_cuda();
    pi_svd_load_params lp;
    pi_svd_load_params_init(&lp);
    lp.device = "cuda";
    pi_svd_model* m = nullptr;
    REQUIRE_MSG(pi_svd_load(model_dir().c_str(), &lp, &m) == PI_OK, pi_last_error());
    at::Tensor input = expect_tensor("input_rgb");
    pi_svd_gen_params g;
    pi_svd_gen_params_init(&g);
    g.steps = 1, g.frames = 1;
    g.width = g.height = 20480;  // each VAE encoder activation is 54 GB in fp32: OOM on an H100 or H200
    pi_svd_frames* f = nullptr;
    pi_status s = pi_svd_generate(m, input.data_ptr<uint8_t>(), 96, 64, 288, &g, nullptr, nullptr, &f);
    std::string msg = pi_last_error();
    REQUIRE_MSG(s == PI_ERR_OUT_OF_MEMORY, "status " << s << ": " << msg);
    REQUIRE_MSG(msg.find("decode_chunk") != std::string::npos, msg);
    pi_memory_stats st;
    REQUIRE(pi_svd_memory_stats(m, 1, &st) == PI_OK);
    g.width = 96, g.height = 64, g.frames = 0, g.steps = 2;
    s = pi_svd_generate(m, input.data_ptr<uint8_t>(), 96, 64, 288, &g, nullptr, nullptr, &f);
    REQUIRE_MSG(s == PI_OK, pi_last_error());
    REQUIRE(pi_svd_frames_count(f) == 3);
    pi_svd_frames_free(f);
    pi_memory_stats after;
    REQUIRE(pi_svd_memory_stats(m, 0, &after) == PI_OK);
    REQUIRE(after.allocated > 0 && after.peak_allocated >= after.allocated);
    pi_svd_free(m);
    return msg.substr(0, 160) + "...; then generated; peak " + std::to_string(after.peak_allocated >> 20) + " MiB";
}

}  // namespace pitest
