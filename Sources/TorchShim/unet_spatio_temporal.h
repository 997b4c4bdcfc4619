// unet_spatio_temporal.h — port of diffusers models/unets/unet_spatio_temporal_condition.py
// (UNetSpatioTemporalConditionModel).
#pragma once

#include "config.h"
#include "embeddings.h"
#include "unet_blocks.h"

namespace pi {

class UNetSpatioTemporal : public torch::nn::Module {
public:
    explicit UNetSpatioTemporal(const UNetConfig& c);
    // sample (B, F, in_channels, h, w); timestep: 0-dim or 1-element; context (B, 1, D);
    // added_time_ids (B, 3). Returns (B, F, out_channels, h, w).
    Tensor forward(const Tensor& sample, const Tensor& timestep, const Tensor& context,
                   const Tensor& added_time_ids) const;
    const UNetConfig& config() const { return c_; }
    int64_t add_embedding_in_features() const { return add_in_features_; }

private:
    UNetConfig c_;
    int64_t add_in_features_;
    int num_upsamplers_ = 0;
    std::shared_ptr<Conv2d> conv_in_, conv_out_;
    std::shared_ptr<TimestepEmbedding> time_embedding_, add_embedding_;
    std::shared_ptr<ModuleList<DownBlockSpatioTemporal>> down_blocks_;
    std::shared_ptr<UNetMidBlockSpatioTemporal> mid_block_;
    std::shared_ptr<ModuleList<UpBlockSpatioTemporal>> up_blocks_;
    std::shared_ptr<GroupNorm> conv_norm_out_;
};

}  // namespace pi
