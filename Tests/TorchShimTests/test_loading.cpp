// test_loading.cpp — loading errors are clear (broken copies of the fixture in a temp folder),
// the fp16 variant loads, and the small readers (JSON, safetensors) behave.
#include <filesystem>
#include <fstream>

#include <ATen/detail/CUDAHooksInterface.h>

#include "errors.h"
#include "fixture.h"
#include "podcast_i2v_torch.h"
#include "test_util.h"

namespace fs = std::filesystem;

namespace pitest {
namespace {

// A fresh copy of the fixture model in the scratch folder.
std::string copy_model(const std::string& name) {
    const std::string dst = env().tmp + "/" + name;
    fs::remove_all(dst);
    fs::copy(model_dir(), dst, fs::copy_options::recursive);
    return dst;
}

// Loads dir with the C ABI and checks the status and that the message holds every needle.
std::string expect_load_error(const std::string& dir, pi_status want, std::vector<std::string> needles,
                              const char* variant = nullptr) {
    pi_svd_load_params p;
    pi_svd_load_params_init(&p);
    p.variant = variant;
    pi_svd_model* m = nullptr;
    pi_status s = pi_svd_load(dir.c_str(), &p, &m);
    std::string msg = pi_last_error();
    pi_svd_free(m);
    REQUIRE_MSG(s == want, "status " << s << " (want " << want << "): " << msg);
    REQUIRE(m == nullptr);
    for (const auto& n : needles) REQUIRE_MSG(msg.find(n) != std::string::npos, "message '" << msg << "' lacks '" << n << "'");
    return msg;
}

// Rewrites a safetensors file after f changes its tensors.
void edit_safetensors(const std::string& path, const std::function<void(std::map<std::string, at::Tensor>&)>& f) {
    std::map<std::string, at::Tensor> t;
    {
        pi::SafetensorsFile file(path);
        for (const auto& [k, e] : file.entries()) t[k] = file.tensor(k).clone();
    }
    f(t);
    pi::write_safetensors(path, t, {{"format", "pt"}});
}

const char* kUnet = "/unet/diffusion_pytorch_model.safetensors";

}  // namespace

PI_TEST(load_missing_folder, "loading: missing folder") {
    return expect_load_error(env().tmp + "/no-such-model", PI_ERR_IO, {"no-such-model", "does not exist"});
}

PI_TEST(load_missing_config, "loading: folder without unet/config.json") {
    std::string d = copy_model("no-unet-config");
    fs::remove(d + "/unet/config.json");
    return expect_load_error(d, PI_ERR_IO, {"not an SVD model folder", "missing unet/config.json"});
}

PI_TEST(load_wrong_pipeline, "loading: model_index.json of another pipeline") {
    std::string d = copy_model("other-pipeline");
    std::ofstream(d + "/model_index.json") << "{\"_class_name\": \"StableDiffusionPipeline\"}";
    return expect_load_error(d, PI_ERR_MODEL, {"model_index.json", "'StableDiffusionPipeline'"});
}

PI_TEST(load_missing_file, "loading: missing weight file") {
    std::string d = copy_model("no-vae-weights");
    fs::remove(d + "/vae/diffusion_pytorch_model.safetensors");
    return expect_load_error(d, PI_ERR_IO, {"missing vae/diffusion_pytorch_model.safetensors"});
}

PI_TEST(load_missing_key, "loading: missing tensor names the key and the file") {
    std::string d = copy_model("missing-key");
    edit_safetensors(d + kUnet, [](auto& t) { t.erase("conv_in.bias"); });
    return expect_load_error(d, PI_ERR_MODEL, {"unet/diffusion_pytorch_model.safetensors", "missing", "'conv_in.bias'"});
}

PI_TEST(load_wrong_shape, "loading: wrong shape names the key, both shapes and the file") {
    std::string d = copy_model("wrong-shape");
    edit_safetensors(d + kUnet, [](auto& t) { t["conv_out.weight"] = at::zeros({4, 64, 3, 1}, at::kHalf); });
    return expect_load_error(d, PI_ERR_MODEL,
                             {"unet/diffusion_pytorch_model.safetensors", "'conv_out.weight'", "[4, 64, 3, 1]", "[4, 64, 3, 3]"});
}

PI_TEST(load_unused_key, "loading: unused tensor names the key and the file") {
    std::string d = copy_model("unused-key");
    edit_safetensors(d + "/vae/diffusion_pytorch_model.safetensors",
                     [](auto& t) { t["decoder.extra_block.weight"] = at::zeros({2}, at::kHalf); });
    return expect_load_error(d, PI_ERR_MODEL, {"vae/diffusion_pytorch_model.safetensors", "unused", "'decoder.extra_block.weight'"});
}

PI_TEST(load_bad_json, "loading: malformed config names the file") {
    std::string d = copy_model("bad-json");
    std::ofstream(d + "/scheduler/scheduler_config.json") << "{\"beta_start\": 0.1,";
    return expect_load_error(d, PI_ERR_MODEL, {"scheduler/scheduler_config.json", "invalid JSON"});
}

PI_TEST(load_bad_config_value, "loading: a config value of the wrong type names file and key") {
    std::string d = copy_model("bad-config");
    std::ofstream(d + "/unet/config.json") << "{\"num_frames\": \"three\"}";
    return expect_load_error(d, PI_ERR_MODEL, {"unet/config.json", "num_frames", "an integer"});
}

PI_TEST(load_truncated, "loading: truncated safetensors file") {
    std::string d = copy_model("truncated");
    fs::resize_file(d + kUnet, fs::file_size(d + kUnet) / 2);
    return expect_load_error(d, PI_ERR_MODEL, {"unet/diffusion_pytorch_model.safetensors"});
}

PI_TEST(load_bad_device, "loading: unknown device and dtype; cuda without CUDA") {
    pi_svd_load_params p;
    pi_svd_load_params_init(&p);
    pi_svd_model* m = nullptr;
    p.device = "tpu";
    REQUIRE(pi_svd_load(model_dir().c_str(), &p, &m) == PI_ERR_INVALID_ARGUMENT);
    REQUIRE(std::string(pi_last_error()).find("'tpu'") != std::string::npos);
    p.device = "cpu";
    p.dtype = "fp8";
    REQUIRE(pi_svd_load(model_dir().c_str(), &p, &m) == PI_ERR_INVALID_ARGUMENT);
    REQUIRE(std::string(pi_last_error()).find("'fp8'") != std::string::npos);
    if (!at::hasCUDA()) {
        p.dtype = "fp32";
        p.device = "cuda";
        REQUIRE(pi_svd_load(model_dir().c_str(), &p, &m) == PI_ERR_DEVICE);
        // A CUDA libtorch without a GPU (scripts/test-torch-shim-cuda-wheel) says so; a CPU one
        // says how to get CUDA.
        const std::string msg = pi_last_error();
        const char* want = at::detail::getCUDAHooks().isBuilt() ? "no GPU visible" : "built against a libtorch without CUDA";
        REQUIRE_MSG(msg.find(want) != std::string::npos, msg);
        return msg;
    }
    return "cuda present: skipped the no-CUDA case";
}

PI_TEST(load_variant, "loading: fp16 variant (image_encoder/model.fp16.safetensors) gives the same embeddings") {
    std::string d = copy_model("variant-only");
    fs::remove(d + "/image_encoder/model.safetensors");
    std::string msg = expect_load_error(d, PI_ERR_IO, {"missing image_encoder/model.safetensors", "variant \"fp16\""});
    // unet and vae have no fp16 variant in the fixture: give them one (same files) for this load.
    fs::copy_file(d + kUnet, d + "/unet/diffusion_pytorch_model.fp16.safetensors");
    fs::copy_file(d + "/vae/diffusion_pytorch_model.safetensors", d + "/vae/diffusion_pytorch_model.fp16.safetensors");
    pi::LoadOptions o;
    o.variant = "fp16";
    auto pipe = pi::SvdPipeline::load(d, o);
    at::Tensor input = expect_tensor("input_rgb");
    at::Tensor e = pipe->encode_image(input.data_ptr<uint8_t>(), int(input.size(1)), int(input.size(0)), int(input.size(1) * 3));
    return expect_close("image_embeds", e, expect_tensor("seed.image_embeds"), 1e-4) + "; without variant: " + msg;
}

PI_TEST(json_reader, "json: nested values, escapes, errors with position") {
    pi::Json j = pi::Json::parse(R"({"a": [1, -2.5e1, true, null], "s": "x\"\u00e9\n", "o": {"k": false}})", "t.json");
    REQUIRE(j.find("a")->array().size() == 4 && j.find("a")->array()[1].number() == -25.0);
    REQUIRE(j.find("s")->string() == "x\"\xc3\xa9\n");
    REQUIRE(j.find("o")->find("k")->boolean() == false && j.find("a")->array()[3].is_null());
    try {
        pi::Json::parse("{\"a\": [1, 2}", "t.json");
        REQUIRE_MSG(false, "no error");
    } catch (const pi::Error& e) {
        REQUIRE_MSG(std::string(e.what()).find("t.json: invalid JSON at byte") != std::string::npos, e.what());
        return e.what();
    }
    return "";
}

PI_TEST(safetensors_roundtrip, "safetensors: write/read F32, F16, BF16, U8 and metadata") {
    const std::string path = env().tmp + "/rt.safetensors";
    std::map<std::string, at::Tensor> t{{"f32", at::randn({3, 5})},
                                        {"f16", at::randn({7}).to(at::kHalf)},
                                        {"bf16", at::randn({2, 2, 2}).to(at::kBFloat16)},
                                        {"u8", at::arange(10).to(at::kByte)}};
    pi::write_safetensors(path, t, {{"note", "a \"quoted\" value"}});
    pi::SafetensorsFile f(path);
    REQUIRE(f.metadata().at("note") == "a \"quoted\" value");
    for (const auto& [k, v] : t) {
        at::Tensor r = f.tensor(k);
        REQUIRE_MSG(r.scalar_type() == v.scalar_type() && r.equal(v), "tensor " << k);
    }
    REQUIRE(f.entries().at("bf16").dtype == "BF16");
    return "4 tensors";
}

}  // namespace pitest
