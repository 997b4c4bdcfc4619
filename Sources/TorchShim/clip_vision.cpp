// clip_vision.cpp — ports transformers models/clip/modeling_clip.py (CLIPVisionEmbeddings,
// CLIPAttention with integrations/sdpa_attention.py, CLIPMLP, CLIPEncoderLayer,
// CLIPVisionTransformer, CLIPVisionModelWithProjection). Checkpoint keys:
// vision_model.{embeddings,pre_layrnorm,encoder.layers.N,post_layernorm}.*, visual_projection.weight.
#include "clip_vision.h"

#include <cmath>

namespace pi {

ClipEncoderLayer::ClipEncoderLayer(const ClipVisionConfig& c) : c_(c) {
    const int64_t d = c.hidden_size;
    auto attn = register_module("self_attn", std::make_shared<torch::nn::Module>());
    k_proj_ = attn->register_module("k_proj", std::make_shared<Linear>(d, d));
    v_proj_ = attn->register_module("v_proj", std::make_shared<Linear>(d, d));
    q_proj_ = attn->register_module("q_proj", std::make_shared<Linear>(d, d));
    out_proj_ = attn->register_module("out_proj", std::make_shared<Linear>(d, d));
    layer_norm1_ = register_module("layer_norm1", std::make_shared<LayerNorm>(d, c.layer_norm_eps));
    auto mlp = register_module("mlp", std::make_shared<torch::nn::Module>());
    fc1_ = mlp->register_module("fc1", std::make_shared<Linear>(d, c.intermediate_size));
    fc2_ = mlp->register_module("fc2", std::make_shared<Linear>(c.intermediate_size, d));
    layer_norm2_ = register_module("layer_norm2", std::make_shared<LayerNorm>(d, c.layer_norm_eps));
}

Tensor ClipEncoderLayer::forward(const Tensor& x) const {
    const int64_t batch = x.size(0), seq = x.size(1);
    const int64_t head_dim = c_.hidden_size / c_.num_attention_heads;
    Tensor h = layer_norm1_->forward(x);
    Tensor q = q_proj_->forward(h).view({batch, seq, -1, head_dim}).transpose(1, 2);
    Tensor k = k_proj_->forward(h).view({batch, seq, -1, head_dim}).transpose(1, 2);
    Tensor v = v_proj_->forward(h).view({batch, seq, -1, head_dim}).transpose(1, 2);
    // CLIPAttention passes scaling = head_dim ** -0.5 explicitly.
    Tensor a = at::scaled_dot_product_attention(q, k, v, {}, 0.0, false, std::pow(double(head_dim), -0.5));
    a = a.reshape({a.size(0), -1, seq, head_dim}).transpose(1, 2).contiguous();
    a = a.reshape({batch, seq, -1}).contiguous();
    Tensor out = x + out_proj_->forward(a);
    h = fc2_->forward(activation(c_.hidden_act, fc1_->forward(layer_norm2_->forward(out))));
    return out + h;
}

ClipVisionModelWithProjection::ClipVisionModelWithProjection(const ClipVisionConfig& c) : c_(c) {
    const int64_t d = c.hidden_size;
    const int64_t positions = (c.image_size / c.patch_size) * (c.image_size / c.patch_size) + 1;
    auto vision = register_module("vision_model", std::make_shared<torch::nn::Module>());
    auto emb = vision->register_module("embeddings", std::make_shared<torch::nn::Module>());
    class_embedding_ = emb->register_parameter("class_embedding", placeholder({d}), kParamRequiresGrad);
    patch_embedding_ = emb->register_module(
        "patch_embedding", std::make_shared<Conv2d>(c.num_channels, d, c.patch_size, c.patch_size, 0, false));
    auto pos = emb->register_module("position_embedding", std::make_shared<torch::nn::Module>());
    position_embedding_ = pos->register_parameter("weight", placeholder({positions, d}), kParamRequiresGrad);
    pre_layrnorm_ = vision->register_module("pre_layrnorm", std::make_shared<LayerNorm>(d, c.layer_norm_eps));
    auto encoder = vision->register_module("encoder", std::make_shared<torch::nn::Module>());
    layers_ = encoder->register_module("layers", std::make_shared<ModuleList<ClipEncoderLayer>>());
    for (int i = 0; i < c.num_hidden_layers; ++i) layers_->push_back(std::make_shared<ClipEncoderLayer>(c));
    post_layernorm_ = vision->register_module("post_layernorm", std::make_shared<LayerNorm>(d, c.layer_norm_eps));
    visual_projection_ = register_module("visual_projection", std::make_shared<Linear>(d, c.projection_dim, false));
}

Tensor ClipVisionModelWithProjection::forward(const Tensor& pixel_values) const {
    const int64_t batch = pixel_values.size(0);
    Tensor patches = patch_embedding_->forward(pixel_values.to(patch_embedding_->weight.scalar_type()));
    patches = patches.flatten(2).transpose(1, 2);
    Tensor cls = class_embedding_.expand({batch, 1, -1});
    Tensor h = at::cat({cls, patches}, 1);
    h = h + position_embedding_.unsqueeze(0);  // position_embedding(arange) is the whole table
    h = pre_layrnorm_->forward(h);
    for (const auto& layer : *layers_) h = layer->forward(h);
    Tensor pooled = post_layernorm_->forward(h.select(1, 0));
    return visual_projection_->forward(pooled);
}

}  // namespace pi
