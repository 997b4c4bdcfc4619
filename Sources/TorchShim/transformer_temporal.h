// transformer_temporal.h — port of diffusers models/transformers/transformer_temporal.py
// (TransformerSpatioTemporalModel): spatial transformer blocks interleaved with temporal ones,
// mixed by an AlphaBlender, with a sinusoidal frame-position embedding.
#pragma once

#include "attention.h"
#include "embeddings.h"
#include "resnet.h"

namespace pi {

class TransformerSpatioTemporalModel : public torch::nn::Module {
public:
    TransformerSpatioTemporalModel(int64_t heads, int64_t head_dim, int64_t in_channels, int64_t num_layers,
                                   int64_t cross_attention_dim);
    // hidden: (B*F, C, H, W); context: (B*F, T, D); image_only_indicator: (B, F).
    Tensor forward(const Tensor& hidden, const Tensor& context, const Tensor& image_only_indicator) const;

private:
    int64_t in_channels_;
    std::shared_ptr<GroupNorm> norm_;
    std::shared_ptr<Linear> proj_in_, proj_out_;
    std::shared_ptr<ModuleList<BasicTransformerBlock>> blocks_;
    std::shared_ptr<ModuleList<TemporalBasicTransformerBlock>> temporal_blocks_;
    std::shared_ptr<TimestepEmbedding> time_pos_embed_;
    std::shared_ptr<AlphaBlender> time_mixer_;
};

}  // namespace pi
