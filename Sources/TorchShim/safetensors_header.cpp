// safetensors_header.cpp — see safetensors_header.h. Every number of the header is checked
// before it is used in arithmetic, so a damaged header can neither overflow a size nor make a
// tensor view bytes outside the file.
#include "safetensors_header.h"

#include <algorithm>
#include <cmath>

#include "errors.h"
#include "json.h"

namespace pi {
namespace {

const char* kDtypes = "F64, F32, F16, BF16, I64, I32, I16, I8, U8 or BOOL";
const char* kLayout = "an 8-byte little-endian header length, a JSON header and the tensor data";

// A JSON number that is an integer in 0..2^53 (all a double holds exactly), else nullopt-like -1.
int64_t count_of(const Json& v) {
    if (!v.is_number()) return -1;
    const double d = v.number();
    if (!std::isfinite(d) || d < 0 || d > 9007199254740992.0 || std::floor(d) != d) return -1;
    return static_cast<int64_t>(d);
}

std::string shape_text(const std::vector<int64_t>& s) {
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "]";
}

}  // namespace

size_t safetensors_dtype_size(const std::string& dtype) {
    if (dtype == "F64" || dtype == "I64") return 8;
    if (dtype == "F32" || dtype == "I32") return 4;
    if (dtype == "F16" || dtype == "BF16" || dtype == "I16") return 2;
    if (dtype == "I8" || dtype == "U8" || dtype == "BOOL") return 1;
    return 0;
}

SafetensorsHeader parse_safetensors_header(const uint8_t* bytes, size_t size, const std::string& path) {
    if (size < 8)
        fail(PI_ERR_MODEL, path + ": not a safetensors file (" + std::to_string(size) + " bytes; expected " + kLayout + ")");
    uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | bytes[i];
    if (header_len > kMaxSafetensorsHeader && header_len > size - 8)
        fail(PI_ERR_MODEL, path + ": not a safetensors file (its header length " + std::to_string(header_len) +
                               " runs past the end of the " + std::to_string(size) + "-byte file; expected " + kLayout + ")");
    if (header_len > kMaxSafetensorsHeader)
        fail(PI_ERR_MODEL, path + ": safetensors header of " + std::to_string(header_len) +
                               " bytes is over the 100 MiB limit (a damaged file?)");
    if (header_len > size - 8)
        fail(PI_ERR_MODEL, path + ": truncated or not a safetensors file (its header length " + std::to_string(header_len) +
                               " runs past the end of the " + std::to_string(size) + "-byte file)");

    SafetensorsHeader h;
    h.data_offset = 8 + static_cast<size_t>(header_len);
    h.data_size = size - h.data_offset;
    const Json header = Json::parse(std::string(reinterpret_cast<const char*>(bytes + 8), header_len), path + " (header)");
    if (!header.is_object())
        fail(PI_ERR_MODEL, path + ": the safetensors header is not a JSON object of tensors (expected {\"name\": "
                               "{\"dtype\", \"shape\", \"data_offsets\"}, ...})");

    for (const auto& [name, v] : header.object()) {
        if (name == "__metadata__") {
            if (!v.is_object()) fail(PI_ERR_MODEL, path + ": \"__metadata__\" in the header is not an object of strings");
            for (const auto& [k, m] : v.object())
                if (m.is_string()) h.metadata[k] = m.string();
            continue;
        }
        const std::string where = path + ": tensor '" + name + "'";
        const Json* dtype = v.find("dtype");
        const Json* shape = v.find("shape");
        const Json* offsets = v.find("data_offsets");
        if (!v.is_object() || !dtype || !shape || !offsets)
            fail(PI_ERR_MODEL, where + ": header entry lacks dtype, shape or data_offsets");
        SafetensorsEntry e;
        if (!dtype->is_string()) fail(PI_ERR_MODEL, where + ": dtype is not a string (expected " + kDtypes + ")");
        e.dtype = dtype->string();
        const size_t element = safetensors_dtype_size(e.dtype);
        if (element == 0) fail(PI_ERR_MODEL, where + ": unsupported dtype '" + e.dtype + "' (expected " + kDtypes + ")");

        if (!shape->is_array()) fail(PI_ERR_MODEL, where + ": shape is not an array of sizes");
        uint64_t want = element;  // bytes the shape needs; stays <= data_size or we fail
        bool too_big = false;
        for (const auto& d : shape->array()) {
            const int64_t n = count_of(d);
            if (n < 0) fail(PI_ERR_MODEL, where + ": shape holds a value that is not a size (expected integers >= 0)");
            e.shape.push_back(n);
            if (!too_big && __builtin_mul_overflow(want, static_cast<uint64_t>(n), &want)) too_big = true;
        }
        if (too_big || want > h.data_size)
            fail(PI_ERR_MODEL, where + ": shape " + shape_text(e.shape) + " of " + e.dtype + " needs more bytes than the " +
                                   std::to_string(h.data_size) + "-byte data section holds (truncated file?)");

        if (!offsets->is_array() || offsets->array().size() != 2)
            fail(PI_ERR_MODEL, where + ": data_offsets is not an array [begin, end]");
        const int64_t begin = count_of(offsets->array()[0]), end = count_of(offsets->array()[1]);
        if (begin < 0 || end < 0) fail(PI_ERR_MODEL, where + ": data_offsets are not byte offsets (expected integers >= 0)");
        if (end < begin || static_cast<uint64_t>(end) > h.data_size || static_cast<uint64_t>(end - begin) != want)
            fail(PI_ERR_MODEL, where + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                                   ") do not hold " + std::to_string(want) + " bytes within the " +
                                   std::to_string(h.data_size) + "-byte data section (truncated or damaged file?)");
        e.begin = static_cast<size_t>(begin);
        e.end = static_cast<size_t>(end);
        h.entries.emplace(name, std::move(e));
    }

    // No two tensors may share bytes: a writer never does that, a damaged header may.
    std::vector<std::pair<const std::string*, const SafetensorsEntry*>> spans;
    for (const auto& [name, e] : h.entries)
        if (e.end > e.begin) spans.emplace_back(&name, &e);
    std::sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) { return a.second->begin < b.second->begin; });
    for (size_t i = 1; i < spans.size(); ++i) {
        const auto& [pname, p] = spans[i - 1];
        const auto& [name, e] = spans[i];
        if (e->begin < p->end)
            fail(PI_ERR_MODEL, path + ": tensors '" + *pname + "' [" + std::to_string(p->begin) + ", " + std::to_string(p->end) +
                                   ") and '" + *name + "' [" + std::to_string(e->begin) + ", " + std::to_string(e->end) +
                                   ") overlap in the data section (a damaged header)");
    }
    return h;
}

}  // namespace pi
