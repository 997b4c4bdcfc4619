// safetensors.h — our own reader (mmap + header JSON) and a small writer for the .safetensors
// format: 8-byte little-endian header length, a JSON header {name: {dtype, shape,
// data_offsets}, "__metadata__": {...}}, then the raw little-endian data.
#pragma once

#include <ATen/Tensor.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "safetensors_header.h"

namespace pi {

class SafetensorsFile {
public:
    explicit SafetensorsFile(const std::string& path);  // throws pi::Error (PI_ERR_IO / PI_ERR_MODEL)

    const std::string& path() const { return path_; }
    const std::map<std::string, SafetensorsEntry>& entries() const { return entries_; }
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    bool contains(const std::string& name) const { return entries_.count(name) != 0; }

    // A CPU tensor viewing the mapped bytes (no copy; a copy only when the bytes are not aligned
    // for the dtype); it keeps the mapping alive.
    at::Tensor tensor(const std::string& name) const;

    // Drops the pages of a tensor's bytes from this process's memory once it has been converted
    // (the file stays mapped: a later read pages them in again from the file). Loading a model
    // this way never holds the whole file's pages beside the converted weights.
    void release(const std::string& name) const;

private:
    struct Mapping;
    std::string path_;
    std::shared_ptr<Mapping> map_;
    const uint8_t* data_ = nullptr;  // start of the data section
    std::map<std::string, SafetensorsEntry> entries_;
    std::map<std::string, std::string> metadata_;
};

// Writes CPU tensors (made contiguous) in the format above; names sorted. Throws pi::Error.
void write_safetensors(const std::string& path, const std::map<std::string, at::Tensor>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace pi
