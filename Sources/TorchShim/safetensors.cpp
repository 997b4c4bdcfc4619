// safetensors.cpp — see safetensors.h.
#include "safetensors.h"

#include <ATen/ATen.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "errors.h"
#include "json.h"

namespace pi {

struct SafetensorsFile::Mapping {
    void* addr = MAP_FAILED;
    size_t size = 0;
    ~Mapping() {
        if (addr != MAP_FAILED) munmap(addr, size);
    }
};

static at::ScalarType scalar_type(const std::string& dtype, const std::string& where) {
    if (dtype == "F32") return at::kFloat;
    if (dtype == "F16") return at::kHalf;
    if (dtype == "BF16") return at::kBFloat16;
    if (dtype == "F64") return at::kDouble;
    if (dtype == "I64") return at::kLong;
    if (dtype == "I32") return at::kInt;
    if (dtype == "I16") return at::kShort;
    if (dtype == "I8") return at::kChar;
    if (dtype == "U8") return at::kByte;
    if (dtype == "BOOL") return at::kBool;
    fail(PI_ERR_MODEL, where + ": unsupported dtype '" + dtype + "' (expected F32, F16, BF16, F64, I64, I32, I16, I8, U8 or BOOL)");
}

static const char* dtype_name(at::ScalarType t) {
    switch (t) {
        case at::kFloat: return "F32";
        case at::kHalf: return "F16";
        case at::kBFloat16: return "BF16";
        case at::kDouble: return "F64";
        case at::kLong: return "I64";
        case at::kInt: return "I32";
        case at::kShort: return "I16";
        case at::kChar: return "I8";
        case at::kByte: return "U8";
        case at::kBool: return "BOOL";
        default: fail(PI_ERR_INVALID_ARGUMENT, std::string("safetensors: cannot write dtype ") + c10::toString(t));
    }
}

SafetensorsFile::SafetensorsFile(const std::string& path) : path_(path), map_(std::make_shared<Mapping>()) {
    // O_NONBLOCK: a FIFO named by a shard index must not hang the open; only regular files pass.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) fail(PI_ERR_IO, "cannot open '" + path + "': " + std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        int e = errno;
        ::close(fd);
        fail(PI_ERR_IO, "cannot stat '" + path + "': " + std::strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        fail(PI_ERR_MODEL, path + ": not a safetensors file (not a regular file)");
    }
    map_->size = static_cast<size_t>(st.st_size);
    if (map_->size < 8) {
        ::close(fd);
        parse_safetensors_header(nullptr, map_->size, path);  // throws the format's message
    }
    map_->addr = mmap(nullptr, map_->size, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    ::close(fd);
    if (map_->addr == MAP_FAILED) fail(PI_ERR_IO, "cannot map '" + path + "': " + std::strerror(e));

    const auto* bytes = static_cast<const uint8_t*>(map_->addr);
    SafetensorsHeader header = parse_safetensors_header(bytes, map_->size, path);
    data_ = bytes + header.data_offset;
    entries_ = std::move(header.entries);
    metadata_ = std::move(header.metadata);
}

at::Tensor SafetensorsFile::tensor(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) fail(PI_ERR_MODEL, path_ + ": no tensor '" + name + "'");
    const SafetensorsEntry& e = it->second;
    const auto options = at::TensorOptions().dtype(scalar_type(e.dtype, path_ + ": '" + name + "'"));
    const uint8_t* ptr = data_ + e.begin;
    // A header whose length is not a multiple of 8 leaves the data unaligned; ATen kernels
    // assume alignment, so such a tensor is copied out instead of viewed.
    if (reinterpret_cast<uintptr_t>(ptr) % safetensors_dtype_size(e.dtype) != 0) {
        at::Tensor t = at::empty(e.shape, options);
        std::memcpy(t.data_ptr(), ptr, e.end - e.begin);
        return t;
    }
    auto keep = map_;
    return at::from_blob(const_cast<uint8_t*>(ptr), e.shape, [keep](void*) {}, options);
}

void SafetensorsFile::release(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end() || it->second.end == it->second.begin) return;
    // Whole pages inside the tensor's bytes only: a neighbour's page may still be needed.
    const long page = sysconf(_SC_PAGESIZE);
    uintptr_t from = reinterpret_cast<uintptr_t>(data_ + it->second.begin);
    uintptr_t to = reinterpret_cast<uintptr_t>(data_ + it->second.end);
    from = (from + page - 1) / page * page;
    to = to / page * page;
    if (to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
}

static std::string json_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out;
}

void write_safetensors(const std::string& path, const std::map<std::string, at::Tensor>& tensors,
                       const std::map<std::string, std::string>& metadata) {
    std::string header = "{";
    std::vector<at::Tensor> data;
    size_t offset = 0;
    if (!metadata.empty()) {
        header += "\"__metadata__\":{";
        bool first = true;
        for (const auto& [k, v] : metadata) {
            header += (first ? "\"" : ",\"") + json_escape(k) + "\":\"" + json_escape(v) + "\"";
            first = false;
        }
        header += "}";
    }
    for (const auto& [name, t0] : tensors) {
        at::Tensor t = t0.to(at::kCPU).contiguous();
        size_t bytes = static_cast<size_t>(t.numel()) * t.element_size();
        if (header.size() > 1) header += ",";
        header += "\"" + json_escape(name) + "\":{\"dtype\":\"" + dtype_name(t.scalar_type()) + "\",\"shape\":[";
        for (int64_t i = 0; i < t.dim(); ++i) header += (i ? "," : "") + std::to_string(t.size(i));
        header += "],\"data_offsets\":[" + std::to_string(offset) + "," + std::to_string(offset + bytes) + "]}";
        offset += bytes;
        data.push_back(t);
    }
    header += "}";
    while (header.size() % 8 != 0) header += ' ';  // keep the data section 8-byte aligned

    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) fail(PI_ERR_IO, "cannot write '" + path + "'");
    uint64_t n = header.size();
    char len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
    f.write(len, 8);
    f.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (const auto& t : data)
        f.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * t.element_size()));
    if (!f) fail(PI_ERR_IO, "cannot write '" + path + "'");
}

}  // namespace pi
