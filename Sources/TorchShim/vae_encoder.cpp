// vae_encoder.cpp — ports diffusers models/autoencoders/vae.py (Encoder) with
// DownEncoderBlock2D and UNetMidBlock2D from models/unets/unet_2d_blocks.py, as
// AutoencoderKLTemporalDecoder builds them (GroupNorm 32, eps 1e-6, no time embedding).
#include "vae.h"

namespace pi {

DownEncoderBlock2D::DownEncoderBlock2D(int64_t in, int64_t out, int64_t num_layers, bool add_downsample) {
    resnets_ = register_module("resnets", std::make_shared<ModuleList<ResnetBlock2D>>());
    for (int64_t i = 0; i < num_layers; ++i) resnets_->push_back(std::make_shared<ResnetBlock2D>(i == 0 ? in : out, out, 0, 1e-6));
    if (add_downsample) {
        downsamplers_ = register_module("downsamplers", std::make_shared<ModuleList<Downsample2D>>());
        downsamplers_->push_back(std::make_shared<Downsample2D>(out, 0));  // Encoder passes downsample_padding=0
    }
}

Tensor DownEncoderBlock2D::forward(Tensor x) const {
    for (const auto& r : *resnets_) x = r->forward(x, Tensor());
    if (downsamplers_) x = (*downsamplers_)[0].forward(x);
    return x;
}

UNetMidBlock2D::UNetMidBlock2D(int64_t ch) {
    resnets_ = register_module("resnets", std::make_shared<ModuleList<ResnetBlock2D>>());
    attentions_ = register_module("attentions", std::make_shared<ModuleList<Attention>>());
    resnets_->push_back(std::make_shared<ResnetBlock2D>(ch, ch, 0, 1e-6));
    AttentionOptions a;
    a.query_dim = ch, a.heads = 1, a.dim_head = ch;  // attention_head_dim = channels
    a.bias = true, a.norm_num_groups = 32, a.eps = 1e-6, a.residual_connection = true;
    attentions_->push_back(std::make_shared<Attention>(a));
    resnets_->push_back(std::make_shared<ResnetBlock2D>(ch, ch, 0, 1e-6));
}

Tensor UNetMidBlock2D::forward(Tensor x) const {
    x = (*resnets_)[0].forward(x, Tensor());
    x = (*attentions_)[0].forward(x);
    return (*resnets_)[1].forward(x, Tensor());
}

VaeEncoder::VaeEncoder(const VaeConfig& c) {
    const auto& ch = c.block_out_channels;
    conv_in_ = register_module("conv_in", std::make_shared<Conv2d>(c.in_channels, ch[0], 3, 1, 1));
    down_blocks_ = register_module("down_blocks", std::make_shared<ModuleList<DownEncoderBlock2D>>());
    int64_t out = ch[0];
    for (size_t i = 0; i < ch.size(); ++i) {
        const int64_t in = out;
        out = ch[i];
        down_blocks_->push_back(std::make_shared<DownEncoderBlock2D>(in, out, c.layers_per_block, i != ch.size() - 1));
    }
    mid_block_ = register_module("mid_block", std::make_shared<UNetMidBlock2D>(ch.back()));
    conv_norm_out_ = register_module("conv_norm_out", std::make_shared<GroupNorm>(32, ch.back(), 1e-6));
    conv_out_ = register_module("conv_out", std::make_shared<Conv2d>(ch.back(), 2 * c.latent_channels, 3, 1, 1));
}

Tensor VaeEncoder::forward(const Tensor& x_in) const {
    Tensor x = conv_in_->forward(x_in);
    for (const auto& b : *down_blocks_) x = b->forward(x);
    x = mid_block_->forward(x);
    return conv_out_->forward(at::silu(conv_norm_out_->forward(x)));
}

}  // namespace pi
