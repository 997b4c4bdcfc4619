// loader.h — the Hugging Face diffusers folder layout and loading checkpoint tensors into
// modules whose named_parameters() mirror the checkpoint keys.
#pragma once

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <functional>
#include <string>
#include <vector>

namespace pi {

class Json;

bool is_directory(const std::string& path);
bool is_file(const std::string& path);

// Checks that dir looks like an SVD folder; throws PI_ERR_IO naming what is missing.
void check_model_folder(const std::string& dir);

// Reads dir/rel (a JSON file) with a clear error when it is absent.
Json read_component_json(const std::string& dir, const std::string& rel);

// The weight files of a component: "<component>/<stem>[.<variant>].safetensors", or the shards
// named by "<stem>[.<variant>].safetensors.index.json". Throws PI_ERR_IO when none exists.
std::vector<std::string> weight_files(const std::string& dir, const std::string& component, const std::string& stem,
                                      const std::string& variant);

struct LoadTarget {
    at::Device device = at::kCPU;
    // dtype for a key: the compute dtype, or float32 for upcast parts (values still rounded
    // through the compute dtype first, as diffusers' upcast of an fp16 module does).
    std::function<at::ScalarType(const std::string& key)> dtype_for;
    at::ScalarType storage_dtype = at::kFloat;  // the model's dtype
};

// Loads every tensor of `files` into `module` (keys relative to the component folder, as in
// the checkpoint). Fails on a missing tensor, an unused tensor or a shape mismatch, naming
// the key and the file. `component` is used in messages ("unet").
void load_weights(torch::nn::Module& module, const std::string& component, const std::vector<std::string>& files,
                  const LoadTarget& target);

}  // namespace pi
