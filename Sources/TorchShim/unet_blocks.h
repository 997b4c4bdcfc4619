// unet_blocks.h — ports of the spatio-temporal blocks in diffusers models/unets/unet_3d_blocks.py:
// DownBlockSpatioTemporal / CrossAttnDownBlockSpatioTemporal (one class, attention optional),
// UpBlockSpatioTemporal / CrossAttnUpBlockSpatioTemporal (likewise), UNetMidBlockSpatioTemporal.
#pragma once

#include <vector>

#include "resnet.h"
#include "transformer_temporal.h"

namespace pi {

struct BlockArgs {
    int64_t in_channels = 0, out_channels = 0, prev_output_channel = 0, temb_channels = 0;
    int64_t num_layers = 1, transformer_layers = 1, heads = 1, cross_attention_dim = 1024;
    bool cross_attention = false, add_sample = true;  // add_sample: add a down/up-sampler
    double resnet_eps = 1e-5;
};

// Forward state shared by the blocks of one UNet call.
struct UNetContext {
    Tensor temb;                  // (B*F, T)
    Tensor context;               // (B*F, 1, D)
    Tensor image_only_indicator;  // (B, F)
};

class DownBlockSpatioTemporal : public torch::nn::Module {
public:
    explicit DownBlockSpatioTemporal(const BlockArgs& a);
    // Appends each output to `skips` (the UNet's down_block_res_samples).
    Tensor forward(Tensor hidden, const UNetContext& c, std::vector<Tensor>& skips) const;

private:
    std::shared_ptr<ModuleList<SpatioTemporalResBlock>> resnets_;
    std::shared_ptr<ModuleList<TransformerSpatioTemporalModel>> attentions_;
    std::shared_ptr<ModuleList<Downsample2D>> downsamplers_;
};

class UpBlockSpatioTemporal : public torch::nn::Module {
public:
    explicit UpBlockSpatioTemporal(const BlockArgs& a);
    size_t num_resnets() const { return resnets_->size(); }
    // Consumes skips from the back; upsample_size is forwarded to the upsampler when given.
    Tensor forward(Tensor hidden, const UNetContext& c, std::vector<Tensor>& skips,
                   at::OptionalIntArrayRef upsample_size) const;

private:
    std::shared_ptr<ModuleList<SpatioTemporalResBlock>> resnets_;
    std::shared_ptr<ModuleList<TransformerSpatioTemporalModel>> attentions_;
    std::shared_ptr<ModuleList<Upsample2D>> upsamplers_;
};

class UNetMidBlockSpatioTemporal : public torch::nn::Module {
public:
    explicit UNetMidBlockSpatioTemporal(const BlockArgs& a);
    Tensor forward(Tensor hidden, const UNetContext& c) const;

private:
    std::shared_ptr<ModuleList<SpatioTemporalResBlock>> resnets_;
    std::shared_ptr<ModuleList<TransformerSpatioTemporalModel>> attentions_;
};

}  // namespace pi
