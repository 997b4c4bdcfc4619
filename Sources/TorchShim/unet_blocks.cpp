// unet_blocks.cpp — ports the SVD blocks of diffusers models/unets/unet_3d_blocks.py.
// Upstream's resnet eps differ by block: DownBlockSpatioTemporal 1e-5, the cross-attention
// down block 1e-6, the mid block 1e-5, both up blocks 1e-6 (get_up_block does not pass the
// UNet's 1e-5 on); the caller passes them in BlockArgs::resnet_eps.
#include "unet_blocks.h"

namespace pi {

static std::shared_ptr<TransformerSpatioTemporalModel> transformer(const BlockArgs& a, int64_t channels) {
    return std::make_shared<TransformerSpatioTemporalModel>(a.heads, channels / a.heads, channels, a.transformer_layers,
                                                            a.cross_attention_dim);
}

DownBlockSpatioTemporal::DownBlockSpatioTemporal(const BlockArgs& a) {
    resnets_ = register_module("resnets", std::make_shared<ModuleList<SpatioTemporalResBlock>>());
    if (a.cross_attention)
        attentions_ = register_module("attentions", std::make_shared<ModuleList<TransformerSpatioTemporalModel>>());
    for (int64_t i = 0; i < a.num_layers; ++i) {
        const int64_t in = i == 0 ? a.in_channels : a.out_channels;
        resnets_->push_back(std::make_shared<SpatioTemporalResBlock>(in, a.out_channels, a.temb_channels, a.resnet_eps));
        if (attentions_) attentions_->push_back(transformer(a, a.out_channels));
    }
    if (a.add_sample) {
        downsamplers_ = register_module("downsamplers", std::make_shared<ModuleList<Downsample2D>>());
        downsamplers_->push_back(std::make_shared<Downsample2D>(a.out_channels, 1));
    }
}

Tensor DownBlockSpatioTemporal::forward(Tensor hidden, const UNetContext& c, std::vector<Tensor>& skips) const {
    for (size_t i = 0; i < resnets_->size(); ++i) {
        hidden = (*resnets_)[i].forward(hidden, c.temb, c.image_only_indicator);
        if (attentions_) hidden = (*attentions_)[i].forward(hidden, c.context, c.image_only_indicator);
        skips.push_back(hidden);
    }
    if (downsamplers_) {
        hidden = (*downsamplers_)[0].forward(hidden);
        skips.push_back(hidden);
    }
    return hidden;
}

UpBlockSpatioTemporal::UpBlockSpatioTemporal(const BlockArgs& a) {
    resnets_ = register_module("resnets", std::make_shared<ModuleList<SpatioTemporalResBlock>>());
    if (a.cross_attention)
        attentions_ = register_module("attentions", std::make_shared<ModuleList<TransformerSpatioTemporalModel>>());
    for (int64_t i = 0; i < a.num_layers; ++i) {
        const int64_t skip = (i == a.num_layers - 1) ? a.in_channels : a.out_channels;
        const int64_t in = i == 0 ? a.prev_output_channel : a.out_channels;
        resnets_->push_back(
            std::make_shared<SpatioTemporalResBlock>(in + skip, a.out_channels, a.temb_channels, a.resnet_eps));
        if (attentions_) attentions_->push_back(transformer(a, a.out_channels));
    }
    if (a.add_sample) {
        upsamplers_ = register_module("upsamplers", std::make_shared<ModuleList<Upsample2D>>());
        upsamplers_->push_back(std::make_shared<Upsample2D>(a.out_channels));
    }
}

Tensor UpBlockSpatioTemporal::forward(Tensor hidden, const UNetContext& c, std::vector<Tensor>& skips,
                                      at::OptionalIntArrayRef upsample_size) const {
    for (size_t i = 0; i < resnets_->size(); ++i) {
        Tensor skip = std::move(skips.back());
        skips.pop_back();
        hidden = at::cat({hidden, skip}, 1);
        skip.reset();
        hidden = (*resnets_)[i].forward(hidden, c.temb, c.image_only_indicator);
        if (attentions_) hidden = (*attentions_)[i].forward(hidden, c.context, c.image_only_indicator);
    }
    if (upsamplers_) hidden = (*upsamplers_)[0].forward(hidden, upsample_size);
    return hidden;
}

UNetMidBlockSpatioTemporal::UNetMidBlockSpatioTemporal(const BlockArgs& a) {
    resnets_ = register_module("resnets", std::make_shared<ModuleList<SpatioTemporalResBlock>>());
    attentions_ = register_module("attentions", std::make_shared<ModuleList<TransformerSpatioTemporalModel>>());
    const int64_t ch = a.in_channels;
    resnets_->push_back(std::make_shared<SpatioTemporalResBlock>(ch, ch, a.temb_channels, 1e-5));
    for (int64_t i = 0; i < a.num_layers; ++i) {
        attentions_->push_back(transformer(a, ch));
        resnets_->push_back(std::make_shared<SpatioTemporalResBlock>(ch, ch, a.temb_channels, 1e-5));
    }
}

Tensor UNetMidBlockSpatioTemporal::forward(Tensor hidden, const UNetContext& c) const {
    hidden = (*resnets_)[0].forward(hidden, c.temb, c.image_only_indicator);
    for (size_t i = 0; i < attentions_->size(); ++i) {
        hidden = (*attentions_)[i].forward(hidden, c.context, c.image_only_indicator);
        hidden = (*resnets_)[i + 1].forward(hidden, c.temb, c.image_only_indicator);
    }
    return hidden;
}

}  // namespace pi
