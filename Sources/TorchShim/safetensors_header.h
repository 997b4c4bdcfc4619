// safetensors_header.h — the checks of a .safetensors file's header, without libtorch (so the
// fuzz harness in fuzz/ builds with clang alone): the 8-byte little-endian header length, the
// JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}, and that every tensor's
// bytes lie inside the data section, match its dtype and shape and overlap no other tensor's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pi {

struct SafetensorsEntry {
    std::string dtype;  // "F32", "F16", "BF16", ...
    std::vector<int64_t> shape;
    size_t begin = 0, end = 0;  // byte range within the data section
};

struct SafetensorsHeader {
    size_t data_offset = 0;  // where the data section starts in the file (8 + header length)
    size_t data_size = 0;
    std::map<std::string, SafetensorsEntry> entries;
    std::map<std::string, std::string> metadata;
};

// Bytes per element of a safetensors dtype name, 0 when unknown.
size_t safetensors_dtype_size(const std::string& dtype);

// A header larger than this is refused before it is parsed (the format's own reader has the
// same 100 MB limit).
constexpr uint64_t kMaxSafetensorsHeader = 100u << 20;

// Parses and checks the header of a file of `size` bytes starting at `bytes`; `path` names the
// file in messages. Throws pi::Error (PI_ERR_MODEL) naming the file, the tensor and what was
// expected.
SafetensorsHeader parse_safetensors_header(const uint8_t* bytes, size_t size, const std::string& path);

}  // namespace pi
