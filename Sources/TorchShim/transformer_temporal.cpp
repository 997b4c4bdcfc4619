// transformer_temporal.cpp — ports diffusers models/transformers/transformer_temporal.py
// (TransformerSpatioTemporalModel.forward), same views and op order.
#include "transformer_temporal.h"

namespace pi {

TransformerSpatioTemporalModel::TransformerSpatioTemporalModel(int64_t heads, int64_t head_dim, int64_t in_channels,
                                                               int64_t num_layers, int64_t cross_dim)
    : in_channels_(in_channels) {
    const int64_t inner = heads * head_dim;
    norm_ = register_module("norm", std::make_shared<GroupNorm>(32, in_channels, 1e-6));
    proj_in_ = register_module("proj_in", std::make_shared<Linear>(in_channels, inner));
    blocks_ = register_module("transformer_blocks", std::make_shared<ModuleList<BasicTransformerBlock>>());
    temporal_blocks_ =
        register_module("temporal_transformer_blocks", std::make_shared<ModuleList<TemporalBasicTransformerBlock>>());
    for (int64_t i = 0; i < num_layers; ++i) {
        blocks_->push_back(std::make_shared<BasicTransformerBlock>(inner, heads, head_dim, cross_dim));
        temporal_blocks_->push_back(
            std::make_shared<TemporalBasicTransformerBlock>(inner, inner, heads, head_dim, cross_dim));
    }
    time_pos_embed_ =
        register_module("time_pos_embed", std::make_shared<TimestepEmbedding>(in_channels, in_channels * 4, in_channels));
    time_mixer_ = register_module("time_mixer",
                                  std::make_shared<AlphaBlender>(AlphaBlender::Strategy::LearnedWithImages, false));
    proj_out_ = register_module("proj_out", std::make_shared<Linear>(inner, in_channels));
}

Tensor TransformerSpatioTemporalModel::forward(const Tensor& hidden_in, const Tensor& context,
                                               const Tensor& indicator) const {
    const int64_t batch_frames = hidden_in.size(0), height = hidden_in.size(2), width = hidden_in.size(3);
    const int64_t num_frames = indicator.size(-1), batch = batch_frames / num_frames;

    // The temporal blocks cross-attend to the first frame's context at every position.
    Tensor first = context.unsqueeze(0).reshape({batch, num_frames, -1, context.size(-1)}).select(1, 0);
    Tensor time_context;
    if (!(first.size(1) == 1 && cheap_single_token_attention())) {
        time_context = first.unsqueeze(1).broadcast_to({batch, height * width, first.size(-2), first.size(-1)});
        time_context = time_context.reshape({batch * height * width, -1, time_context.size(-1)});
    }

    const Tensor& residual = hidden_in;
    Tensor hidden = norm_->forward(hidden_in);
    const int64_t inner = hidden.size(1);
    hidden = hidden.permute({0, 2, 3, 1}).reshape({batch_frames, height * width, inner});
    hidden = proj_in_->forward(hidden);

    Tensor frame_ids = at::arange(num_frames, hidden.options().dtype(at::kLong)).repeat({batch, 1}).reshape({-1});
    Tensor t_emb = timestep_embedding(frame_ids, in_channels_, true, 0).to(hidden.scalar_type());
    Tensor emb = time_pos_embed_->forward(t_emb).unsqueeze(1);

    for (size_t i = 0; i < blocks_->size(); ++i) {
        hidden = (*blocks_)[i].forward(hidden, context);
        Tensor mix = hidden + emb;
        mix = (*temporal_blocks_)[i].forward(mix, num_frames, time_context, first);
        hidden = time_mixer_->forward(hidden, mix, indicator);
    }
    hidden = proj_out_->forward(hidden);
    hidden = hidden.reshape({batch_frames, height, width, inner}).permute({0, 3, 1, 2}).contiguous();
    return hidden + residual;
}

}  // namespace pi
