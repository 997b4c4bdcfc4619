// fuzz_json.cpp — libFuzzer target for the shim's JSON reader and the config readers over it:
// any input must end in a value or a pi::Error, never a crash, a hang or a sanitizer report.
// Built by scripts/fuzz-shim (clang, -fsanitize=fuzzer,address,undefined); no libtorch needed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config.h"
#include "errors.h"
#include "json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    pi::Json j;
    try {
        j = pi::Json::parse(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
    } catch (const pi::Error&) {
        return 0;
    }
    // Every config reader over the same value: each either fills its struct or names what is wrong.
    try { pi::parse_unet_config(j); } catch (const pi::Error&) {}
    try { pi::parse_vae_config(j); } catch (const pi::Error&) {}
    try { pi::parse_clip_vision_config(j); } catch (const pi::Error&) {}
    try { pi::parse_scheduler_config(j); } catch (const pi::Error&) {}
    try { pi::parse_feature_extractor_config(j); } catch (const pi::Error&) {}
    return 0;
}
