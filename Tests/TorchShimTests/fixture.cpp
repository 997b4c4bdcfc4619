// fixture.cpp — see fixture.h.
#include "fixture.h"

#include "test_util.h"

namespace pitest {

const pi::SafetensorsFile& expected() {
    static pi::SafetensorsFile f(env().fixture + "/expected.safetensors");
    return f;
}

bool has_expected(const std::string& key) { return expected().contains(key); }

at::Tensor expect_tensor(const std::string& key) {
    if (!has_expected(key)) throw Failure("fixture has no tensor '" + key + "'");
    return expected().tensor(key).clone();
}

const pi::Json& runs() {
    static pi::Json j = pi::Json::parse(expected().metadata().at("runs"), "expected.safetensors metadata 'runs'");
    return j;
}

int fixture_width() { return std::stoi(expected().metadata().at("width")); }
int fixture_height() { return std::stoi(expected().metadata().at("height")); }
std::string model_dir() { return env().fixture + "/model"; }

pi::SvdPipeline& fixture_pipeline() {
    static std::unique_ptr<pi::SvdPipeline> p = pi::SvdPipeline::load(model_dir(), pi::LoadOptions());
    return *p;
}

pi::GenerateOptions run_options(const std::string& run) {
    const pi::Json* r = runs().find(run);
    if (!r) throw Failure("fixture has no run '" + run + "'");
    auto num = [&](const char* k) {
        const pi::Json* v = r->find(k);
        return (v && v->is_number()) ? v->number() : 0.0;
    };
    pi::GenerateOptions o;
    o.width = fixture_width(), o.height = fixture_height();
    o.frames = static_cast<int>(num("num_frames"));
    o.steps = static_cast<int>(num("steps"));
    o.fps = static_cast<int>(num("fps"));
    o.motion_bucket_id = static_cast<int>(num("motion_bucket_id"));
    o.noise_aug_strength = num("noise_aug_strength");
    o.min_guidance = num("min_guidance_scale");
    o.max_guidance = num("max_guidance_scale");
    o.decode_chunk = static_cast<int>(num("decode_chunk_size"));
    o.seed = static_cast<uint64_t>(num("seed"));
    const pi::Json* lat = r->find("latents");
    if (lat && lat->is_bool() && lat->boolean()) o.latents = expect_tensor(run + ".given_latents");
    return o;
}

at::Tensor run_input(const std::string& run) {
    const pi::Json* r = runs().find(run);
    const pi::Json* small = r ? r->find("small_input") : nullptr;
    return expect_tensor(small && small->is_bool() && small->boolean() ? "resize.input_rgb" : "input_rgb");
}

}  // namespace pitest
