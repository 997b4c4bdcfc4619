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
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(PI_ERR_IO, "cannot open '" + path + "': " + std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        int e = errno;
        ::close(fd);
        fail(PI_ERR_IO, "cannot stat '" + path + "': " + std::strerror(e));
    }
    map_->size = static_cast<size_t>(st.st_size);
    if (map_->size < 8) {
        ::close(fd);
        fail(PI_ERR_MODEL, path + ": not a safetensors file (" + std::to_string(map_->size) + " bytes)");
    }
    map_->addr = mmap(nullptr, map_->size, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    ::close(fd);
    if (map_->addr == MAP_FAILED) fail(PI_ERR_IO, "cannot map '" + path + "': " + std::strerror(e));

    const auto* bytes = static_cast<const uint8_t*>(map_->addr);
    uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | bytes[i];
    if (header_len > map_->size - 8 || header_len > (100u << 20))
        fail(PI_ERR_MODEL, path + ": not a safetensors file (header length " + std::to_string(header_len) +
                               " does not fit in " + std::to_string(map_->size) + " bytes)");
    data_ = bytes + 8 + header_len;
    const size_t data_size = map_->size - 8 - header_len;

    Json header = Json::parse(std::string(reinterpret_cast<const char*>(bytes + 8), header_len), path + " (header)");
    for (const auto& [name, v] : header.object()) {
        if (name == "__metadata__") {
            for (const auto& [k, m] : v.object())
                if (m.is_string()) metadata_[k] = m.string();
            continue;
        }
        const std::string where = path + ": tensor '" + name + "'";
        const Json* dtype = v.find("dtype");
        const Json* shape = v.find("shape");
        const Json* offsets = v.find("data_offsets");
        if (!dtype || !shape || !offsets || offsets->array().size() != 2)
            fail(PI_ERR_MODEL, where + ": header entry lacks dtype, shape or data_offsets");
        SafetensorsEntry e;
        e.dtype = dtype->string();
        int64_t numel = 1;
        for (const auto& d : shape->array()) {
            e.shape.push_back(static_cast<int64_t>(d.number()));
            numel *= e.shape.back();
        }
        e.begin = static_cast<size_t>(offsets->array()[0].number());
        e.end = static_cast<size_t>(offsets->array()[1].number());
        const size_t want = static_cast<size_t>(numel) * at::elementSize(scalar_type(e.dtype, where));
        if (e.end < e.begin || e.end > data_size || e.end - e.begin != want)
            fail(PI_ERR_MODEL, where + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                                   ") do not hold " + std::to_string(want) + " bytes within the " +
                                   std::to_string(data_size) + "-byte data section");
        entries_.emplace(name, std::move(e));
    }
}

at::Tensor SafetensorsFile::tensor(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) fail(PI_ERR_MODEL, path_ + ": no tensor '" + name + "'");
    const SafetensorsEntry& e = it->second;
    auto keep = map_;
    void* ptr = const_cast<uint8_t*>(data_ + e.begin);
    return at::from_blob(
        ptr, e.shape, [keep](void*) {}, at::TensorOptions().dtype(scalar_type(e.dtype, path_ + ": '" + name + "'")));
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
