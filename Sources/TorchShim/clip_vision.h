// clip_vision.h — port of transformers models/clip/modeling_clip.py:
// CLIPVisionModelWithProjection (vision_model + visual_projection) with sdpa attention.
#pragma once

#include "config.h"
#include "modules.h"

namespace pi {

class ClipEncoderLayer : public torch::nn::Module {
public:
    explicit ClipEncoderLayer(const ClipVisionConfig& c);
    Tensor forward(const Tensor& x) const;

private:
    const ClipVisionConfig c_;
    std::shared_ptr<Linear> q_proj_, k_proj_, v_proj_, out_proj_, fc1_, fc2_;
    std::shared_ptr<LayerNorm> layer_norm1_, layer_norm2_;
};

class ClipVisionModelWithProjection : public torch::nn::Module {
public:
    explicit ClipVisionModelWithProjection(const ClipVisionConfig& c);
    // pixel_values (B, 3, image_size, image_size), normalised -> image_embeds (B, projection_dim).
    Tensor forward(const Tensor& pixel_values) const;
    const ClipVisionConfig& config() const { return c_; }

private:
    ClipVisionConfig c_;
    Tensor class_embedding_, position_embedding_;
    std::shared_ptr<Conv2d> patch_embedding_;
    std::shared_ptr<LayerNorm> pre_layrnorm_, post_layernorm_;
    std::shared_ptr<ModuleList<ClipEncoderLayer>> layers_;
    std::shared_ptr<Linear> visual_projection_;
};

}  // namespace pi
