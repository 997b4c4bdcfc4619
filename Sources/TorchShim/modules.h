// modules.h — the few torch.nn layers the networks need, as torch::nn::Module subclasses whose
// parameter names ("weight", "bias") and child names match PyTorch's, so a checkpoint key such
// as "down_blocks.0.resnets.1.conv1.weight" is exactly a named_parameters() entry.
//
// Parameters start as shape-only placeholders (zero strides: one element of storage) and get
// their data from the loader (set_data), so building a full-size network costs no memory.
// Each forward calls the same ATen op that torch.nn.functional calls, with the same arguments,
// so CPU results are bit-identical to PyTorch's for the same inputs.
#pragma once

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <memory>
#include <string>
#include <vector>

namespace pi {

using at::Tensor;

// A parameter slot of the given shape without storage of that size.
Tensor placeholder(at::IntArrayRef shape);

// Parameters are registered as requiring grad, like nn.Parameter in a diffusers pipeline (which
// runs under no_grad without clearing requires_grad). Nothing records autograd here (we run
// under InferenceMode), but ATen looks at it: matmul folds a 3-D input times a weight that
// requires grad into one mm, and otherwise may use bmm — different sums, different last bits.
// E.g. the temporal cross-attention's keys from a stride-0 context differ by ~2e-7 otherwise.
constexpr bool kParamRequiresGrad = true;

class Linear : public torch::nn::Module {
public:
    Linear(int64_t in, int64_t out, bool bias = true);
    Tensor forward(const Tensor& x) const { return at::linear(x, weight, bias); }
    int64_t in_features, out_features;
    Tensor weight, bias;
};

class Conv2d : public torch::nn::Module {
public:
    Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t padding = 0, bool bias = true);
    Tensor forward(const Tensor& x) const {
        return at::conv2d(x, weight, bias, {stride, stride}, {padding, padding}, {1, 1}, 1);
    }
    int64_t stride, padding;
    Tensor weight, bias;
};

// Conv3d with kernel (kt, 1, 1) and padding (kt / 2, 0, 0): the temporal convolutions of SVD.
class TemporalConv3d : public torch::nn::Module {
public:
    TemporalConv3d(int64_t in, int64_t out, int64_t kt);
    Tensor forward(const Tensor& x) const {
        return at::conv3d(x, weight, bias, {1, 1, 1}, {kt / 2, 0, 0}, {1, 1, 1}, 1);
    }
    int64_t kt;
    Tensor weight, bias;
};

class GroupNorm : public torch::nn::Module {
public:
    GroupNorm(int64_t groups, int64_t channels, double eps);
    Tensor forward(const Tensor& x) const;
    int64_t groups;
    double eps;
    Tensor weight, bias;
};

class LayerNorm : public torch::nn::Module {
public:
    LayerNorm(int64_t dim, double eps = 1e-5);
    Tensor forward(const Tensor& x) const;
    int64_t dim;
    double eps;
    Tensor weight, bias;
};

// nn.ModuleList: children named "0", "1", ...
template <class T>
class ModuleList : public torch::nn::Module {
public:
    void push_back(std::shared_ptr<T> m) {
        register_module(std::to_string(items_.size()), m);
        items_.push_back(std::move(m));
    }
    size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    T& operator[](size_t i) const { return *items_[i]; }
    typename std::vector<std::shared_ptr<T>>::const_iterator begin() const { return items_.begin(); }
    typename std::vector<std::shared_ptr<T>>::const_iterator end() const { return items_.end(); }

private:
    std::vector<std::shared_ptr<T>> items_;
};

// Activations by the names configs use (transformers' ACT2FN, diffusers' get_activation).
Tensor activation(const std::string& name, const Tensor& x);

}  // namespace pi
