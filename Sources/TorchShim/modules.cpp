// modules.cpp — see modules.h.
#include "modules.h"

#include "errors.h"

namespace pi {

Tensor placeholder(at::IntArrayRef shape) {
    std::vector<int64_t> strides(shape.size(), 0);
    return at::empty_strided(shape, strides, at::TensorOptions().dtype(at::kFloat));
}

Linear::Linear(int64_t in, int64_t out, bool has_bias) : in_features(in), out_features(out) {
    weight = register_parameter("weight", placeholder({out, in}), kParamRequiresGrad);
    if (has_bias) bias = register_parameter("bias", placeholder({out}), kParamRequiresGrad);
}

Conv2d::Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride_, int64_t padding_, bool has_bias)
    : stride(stride_), padding(padding_) {
    weight = register_parameter("weight", placeholder({out, in, kernel, kernel}), kParamRequiresGrad);
    if (has_bias) bias = register_parameter("bias", placeholder({out}), kParamRequiresGrad);
}

TemporalConv3d::TemporalConv3d(int64_t in, int64_t out, int64_t kt_) : kt(kt_) {
    weight = register_parameter("weight", placeholder({out, in, kt, 1, 1}), kParamRequiresGrad);
    bias = register_parameter("bias", placeholder({out}), kParamRequiresGrad);
}

GroupNorm::GroupNorm(int64_t groups_, int64_t channels, double eps_) : groups(groups_), eps(eps_) {
    if (channels % groups != 0)
        fail(PI_ERR_MODEL, "GroupNorm: " + std::to_string(channels) + " channels are not divisible into " +
                               std::to_string(groups) + " groups");
    weight = register_parameter("weight", placeholder({channels}), kParamRequiresGrad);
    bias = register_parameter("bias", placeholder({channels}), kParamRequiresGrad);
}

Tensor GroupNorm::forward(const Tensor& x) const {
    // F.group_norm passes torch.backends.cudnn.enabled (true by default).
    return at::group_norm(x, groups, weight, bias, eps, true);
}

LayerNorm::LayerNorm(int64_t dim_, double eps_) : dim(dim_), eps(eps_) {
    weight = register_parameter("weight", placeholder({dim}), kParamRequiresGrad);
    bias = register_parameter("bias", placeholder({dim}), kParamRequiresGrad);
}

Tensor LayerNorm::forward(const Tensor& x) const { return at::layer_norm(x, {dim}, weight, bias, eps, true); }

Tensor activation(const std::string& name, const Tensor& x) {
    if (name == "silu" || name == "swish") return at::silu(x);
    if (name == "gelu") return at::gelu(x);
    if (name == "quick_gelu") return x * at::sigmoid(x * 1.702);  // transformers' QuickGELUActivation
    if (name == "gelu_pytorch_tanh") return at::gelu(x, "tanh");
    if (name == "gelu_new")  // transformers' NewGELUActivation, written out as it does
        return 0.5 * x * (1.0 + at::tanh(0.7978845608028654 * (x + 0.044715 * at::pow(x, 3.0))));
    if (name == "relu") return at::relu(x);
    fail(PI_ERR_MODEL, "unsupported activation '" + name + "' (supported: silu, gelu, quick_gelu, gelu_new, gelu_pytorch_tanh, relu)");
}

}  // namespace pi
