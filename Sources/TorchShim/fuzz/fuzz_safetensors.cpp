// fuzz_safetensors.cpp — libFuzzer target for the safetensors header checks: any file must end
// in a header or a pi::Error, and an accepted header must keep its promises (every tensor's
// bytes inside the data section, sized by dtype x shape, no two tensors sharing a byte); a
// broken promise aborts, which the fuzzer reports as a crash.
// Built by scripts/fuzz-shim (clang, -fsanitize=fuzzer,address,undefined); no libtorch needed.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "errors.h"
#include "safetensors_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // A copy of exactly `size` bytes, so ASan sees any read past the file's end.
    std::vector<uint8_t> file(data, data + size);
    pi::SafetensorsHeader h;
    try {
        h = pi::parse_safetensors_header(file.data(), file.size(), "fuzz.safetensors");
    } catch (const pi::Error&) {
        return 0;
    }
    if (h.data_offset > size || h.data_offset + h.data_size != size) std::abort();
    std::vector<std::pair<size_t, size_t>> spans;
    for (const auto& [name, e] : h.entries) {
        uint64_t want = pi::safetensors_dtype_size(e.dtype);
        if (want == 0 || e.begin > e.end || e.end > h.data_size) std::abort();
        for (int64_t d : e.shape) {
            if (d < 0) std::abort();
            want *= static_cast<uint64_t>(d);  // cannot overflow: it was checked against the file
        }
        if (e.end - e.begin != want) std::abort();
        // Touch the first and last byte the tensor would view.
        if (want) {
            volatile uint8_t a = file[h.data_offset + e.begin], b = file[h.data_offset + e.end - 1];
            (void)a, (void)b;
            spans.emplace_back(e.begin, e.end);
        }
    }
    std::sort(spans.begin(), spans.end());
    for (size_t i = 1; i < spans.size(); ++i)
        if (spans[i].first < spans[i - 1].second) std::abort();
    return 0;
}
