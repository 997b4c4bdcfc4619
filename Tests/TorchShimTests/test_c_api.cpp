// test_c_api.cpp — the C ABI of podcast_i2v_torch.h: defaults, generate against the fixture's
// frames, cancellation from the progress callback, argument checks, NULL handling.
#include <cstring>
#include <string>
#include <vector>

#include "fixture.h"
#include "image_ops.h"
#include "podcast_i2v_torch.h"
#include "test_util.h"

namespace pitest {
namespace {

// One C-ABI model for these tests (loaded once).
pi_svd_model* c_model() {
    static pi_svd_model* m = [] {
        pi_svd_model* out = nullptr;
        pi_status s = pi_svd_load(model_dir().c_str(), nullptr, &out);
        if (s != PI_OK) throw Failure(std::string("pi_svd_load: ") + pi_last_error());
        return out;
    }();
    return m;
}

pi_svd_gen_params seed_params() {
    pi::GenerateOptions o = run_options("seed");
    pi_svd_gen_params p;
    pi_svd_gen_params_init(&p);
    p.width = o.width, p.height = o.height, p.frames = o.frames, p.steps = o.steps, p.fps = o.fps;
    p.motion_bucket_id = o.motion_bucket_id, p.noise_aug_strength = float(o.noise_aug_strength);
    p.min_guidance = float(o.min_guidance), p.max_guidance = float(o.max_guidance);
    p.decode_chunk = o.decode_chunk, p.seed = o.seed;
    return p;
}

at::Tensor frames_tensor(const pi_svd_frames* f) {
    const int n = pi_svd_frames_count(f), w = pi_svd_frames_width(f), h = pi_svd_frames_height(f);
    at::Tensor t = at::empty({n, h, w, 3}, at::kByte);
    for (int i = 0; i < n; ++i) std::memcpy(t[i].data_ptr<uint8_t>(), pi_svd_frames_rgb(f, i), size_t(w) * h * 3);
    return t;
}

struct Calls {
    std::vector<std::string> log;
    int cancel_at_step = -1;
};

int record(void* user, const char* stage, int step, int total) {
    auto* c = static_cast<Calls*>(user);
    c->log.push_back(std::string(stage) + " " + std::to_string(step) + "/" + std::to_string(total));
    return (c->cancel_at_step >= 0 && std::strcmp(stage, "denoise") == 0 && step == c->cancel_at_step) ? 1 : 0;
}

at::Tensor& first_c_frames() {
    static at::Tensor t;
    return t;
}

}  // namespace

PI_TEST(c_null, "C ABI: version string, NULL handles, params_init defaults") {
    std::string v = pi_shim_version();
    REQUIRE_MSG(v.find("libtorch") != std::string::npos, "version '" << v << "'");
    pi_svd_free(nullptr);
    pi_svd_frames_free(nullptr);
    REQUIRE(pi_svd_frames_count(nullptr) == 0 && pi_svd_frames_width(nullptr) == 0 && pi_svd_frames_height(nullptr) == 0);
    REQUIRE(pi_svd_frames_rgb(nullptr, 0) == nullptr);
    pi_svd_load_params_init(nullptr);
    pi_svd_gen_params_init(nullptr);
    pi_svd_gen_params g;
    pi_svd_gen_params_init(&g);
    REQUIRE(g.width == 0 && g.height == 0 && g.frames == 0 && g.steps == 25 && g.fps == 7 && g.motion_bucket_id == 127);
    REQUIRE(g.noise_aug_strength == 0.02f && g.min_guidance == 1.0f && g.max_guidance == 3.0f && g.decode_chunk == 0);
    pi_svd_load_params l;
    pi_svd_load_params_init(&l);
    REQUIRE(std::strcmp(l.device, "cpu") == 0 && std::strcmp(l.dtype, "fp32") == 0 && l.variant == nullptr);
    pi_svd_model* m = reinterpret_cast<pi_svd_model*>(1);
    REQUIRE(pi_svd_load(nullptr, nullptr, &m) == PI_ERR_INVALID_ARGUMENT && m == nullptr);
    REQUIRE(pi_svd_info(nullptr, nullptr) == PI_ERR_INVALID_ARGUMENT);
    return v;
}

PI_TEST(c_generate, "C ABI: pi_svd_generate uint8 frames = fixture frames quantised (+-1)") {
    pi_svd_model* m = c_model();
    pi_svd_model_info info;
    REQUIRE(pi_svd_info(m, &info) == PI_OK);
    REQUIRE_MSG(info.num_frames == 3 && info.sample_width == 64 && info.sample_height == 64,
              "info " << info.num_frames << " " << info.sample_width << "x" << info.sample_height);
    REQUIRE(std::strcmp(info.device, "cpu") == 0 && std::strcmp(info.dtype, "fp32") == 0);
    at::Tensor input = expect_tensor("input_rgb");
    pi_svd_gen_params p = seed_params();
    pi_svd_frames* f = nullptr;
    pi_status s = pi_svd_generate(m, input.data_ptr<uint8_t>(), int(input.size(1)), int(input.size(0)),
                                  int(input.size(1) * 3), &p, nullptr, nullptr, &f);
    REQUIRE_MSG(s == PI_OK, pi_last_error());
    at::Tensor got = frames_tensor(f);
    REQUIRE(pi_svd_frames_rgb(f, pi_svd_frames_count(f)) == nullptr && pi_svd_frames_rgb(f, -1) == nullptr);
    pi_svd_frames_free(f);
    at::Tensor want = pi::frames_to_uint8(expect_tensor("seed.frames"));
    double d = max_abs_diff(got, want);
    REQUIRE_MSG(d <= 1, "uint8 frames differ by " << d);
    const int64_t equal = got.eq(want).sum().item<int64_t>();
    first_c_frames() = got;
    return std::to_string(got.size(0)) + " frames " + std::to_string(got.size(2)) + "x" + std::to_string(got.size(1)) +
           ", max diff " + std::to_string(int(d)) + ", " + std::to_string(equal) + "/" + std::to_string(want.numel()) +
           " bytes equal";
}

PI_TEST(c_cancel, "C ABI: cancel from the progress callback stops within one step; model still works") {
    pi_svd_model* m = c_model();
    at::Tensor input = expect_tensor("input_rgb");
    pi_svd_gen_params p = seed_params();
    Calls calls;
    calls.cancel_at_step = 1;
    pi_svd_frames* f = nullptr;
    pi_status s = pi_svd_generate(m, input.data_ptr<uint8_t>(), int(input.size(1)), int(input.size(0)),
                                  int(input.size(1) * 3), &p, record, &calls, &f);
    REQUIRE_MSG(s == PI_ERR_CANCELLED, "status " << s << ": " << pi_last_error());
    REQUIRE(f == nullptr);
    REQUIRE_MSG(std::string(pi_last_error()).find("cancelled") != std::string::npos, pi_last_error());
    REQUIRE_MSG(!calls.log.empty() && calls.log.back() == "denoise 1/3", "last call " << (calls.log.empty() ? "" : calls.log.back()));
    std::string seq;
    for (const auto& c : calls.log) seq += (seq.empty() ? "" : ", ") + c;

    // Again, to the end, with progress reported at every stage.
    Calls full;
    s = pi_svd_generate(m, input.data_ptr<uint8_t>(), int(input.size(1)), int(input.size(0)), int(input.size(1) * 3),
                        &p, record, &full, &f);
    REQUIRE_MSG(s == PI_OK, pi_last_error());
    at::Tensor got = frames_tensor(f);
    pi_svd_frames_free(f);
    if (first_c_frames().defined()) REQUIRE_MSG(got.equal(first_c_frames()), "frames after a cancel differ");
    REQUIRE(max_abs_diff(got, pi::frames_to_uint8(expect_tensor("seed.frames"))) <= 1);
    REQUIRE_MSG(full.log.back() == "decode 3/3", "last call " << full.log.back());
    return "calls until cancel: " + seq + "; then " + std::to_string(full.log.size()) + " calls to the end";
}

PI_TEST(c_invalid, "C ABI: invalid arguments are reported, not thrown") {
    pi_svd_model* m = c_model();
    at::Tensor input = expect_tensor("input_rgb");
    const uint8_t* rgb = input.data_ptr<uint8_t>();
    pi_svd_gen_params p = seed_params();
    pi_svd_frames* f = nullptr;
    auto expect = [&](pi_status got, pi_status want, const char* needle) {
        REQUIRE_MSG(got == want, "status " << got << " (want " << want << "): " << pi_last_error());
        REQUIRE_MSG(std::string(pi_last_error()).find(needle) != std::string::npos,
                  "message '" << pi_last_error() << "' lacks '" << needle << "'");
        REQUIRE(f == nullptr);
    };
    expect(pi_svd_generate(nullptr, rgb, 96, 64, 288, &p, nullptr, nullptr, &f), PI_ERR_INVALID_ARGUMENT, "model is NULL");
    expect(pi_svd_generate(m, nullptr, 96, 64, 288, &p, nullptr, nullptr, &f), PI_ERR_INVALID_ARGUMENT, "rgb is NULL");
    expect(pi_svd_generate(m, rgb, 96, 64, 100, &p, nullptr, nullptr, &f), PI_ERR_INVALID_ARGUMENT, "stride");
    pi_svd_gen_params q = p;
    q.width = 90;
    expect(pi_svd_generate(m, rgb, 96, 64, 288, &q, nullptr, nullptr, &f), PI_ERR_INVALID_ARGUMENT, "multiples of 8");
    q = p;
    q.steps = 0;
    expect(pi_svd_generate(m, rgb, 96, 64, 288, &q, nullptr, nullptr, &f), PI_ERR_INVALID_ARGUMENT, "steps");
    REQUIRE(pi_svd_generate(m, rgb, 96, 64, 288, &p, nullptr, nullptr, nullptr) == PI_ERR_INVALID_ARGUMENT);
    return "ok";
}

PI_TEST(c_stride, "C ABI: a padded input stride gives the same frames") {
    at::Tensor input = expect_tensor("input_rgb");
    const int w = int(input.size(1)), h = int(input.size(0)), stride = w * 3 + 13;
    std::vector<uint8_t> padded(size_t(stride) * h, 0xAB);
    for (int y = 0; y < h; ++y) std::memcpy(&padded[size_t(y) * stride], input[y].data_ptr<uint8_t>(), size_t(w) * 3);
    pi_svd_gen_params p = seed_params();
    p.steps = 1;
    pi_svd_frames *a = nullptr, *b = nullptr;
    REQUIRE_MSG(pi_svd_generate(c_model(), padded.data(), w, h, stride, &p, nullptr, nullptr, &a) == PI_OK, pi_last_error());
    REQUIRE_MSG(pi_svd_generate(c_model(), input.data_ptr<uint8_t>(), w, h, w * 3, &p, nullptr, nullptr, &b) == PI_OK,
              pi_last_error());
    bool same = frames_tensor(a).equal(frames_tensor(b));
    pi_svd_frames_free(a);
    pi_svd_frames_free(b);
    REQUIRE(same);
    return "identical";
}

}  // namespace pitest
