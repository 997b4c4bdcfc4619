// vae_temporal_decoder.cpp — ports diffusers models/autoencoders/autoencoder_kl_temporal_decoder.py
// (TemporalDecoder, AutoencoderKLTemporalDecoder.encode/decode) with MidBlockTemporalDecoder and
// UpBlockTemporalDecoder from models/unets/unet_3d_blocks.py.
#include "vae.h"

namespace pi {

static std::shared_ptr<SpatioTemporalResBlock> decoder_resnet(int64_t in, int64_t out) {
    // temb None, eps 1e-6, temporal eps 1e-5, merge "learned" with the spatial/temporal switch.
    return std::make_shared<SpatioTemporalResBlock>(in, out, 0, 1e-6, 1e-5, AlphaBlender::Strategy::Learned, true);
}

MidBlockTemporalDecoder::MidBlockTemporalDecoder(int64_t ch, int64_t num_layers) {
    resnets_ = register_module("resnets", std::make_shared<ModuleList<SpatioTemporalResBlock>>());
    attentions_ = register_module("attentions", std::make_shared<ModuleList<Attention>>());
    for (int64_t i = 0; i < num_layers; ++i) resnets_->push_back(decoder_resnet(ch, ch));
    AttentionOptions a;
    a.query_dim = ch, a.heads = 1, a.dim_head = ch;
    a.bias = true, a.norm_num_groups = 32, a.eps = 1e-6, a.residual_connection = true;
    attentions_->push_back(std::make_shared<Attention>(a));
}

Tensor MidBlockTemporalDecoder::forward(Tensor x, const Tensor& indicator) const {
    x = (*resnets_)[0].forward(x, Tensor(), indicator);
    // Upstream zips resnets[1:] with the one attention: with a single layer the attention
    // (whose weights are still in the checkpoint) is not applied.
    for (size_t i = 1; i < resnets_->size() && i - 1 < attentions_->size(); ++i) {
        x = (*attentions_)[i - 1].forward(x);
        x = (*resnets_)[i].forward(x, Tensor(), indicator);
    }
    return x;
}

UpBlockTemporalDecoder::UpBlockTemporalDecoder(int64_t in, int64_t out, int64_t num_layers, bool add_upsample) {
    resnets_ = register_module("resnets", std::make_shared<ModuleList<SpatioTemporalResBlock>>());
    for (int64_t i = 0; i < num_layers; ++i) resnets_->push_back(decoder_resnet(i == 0 ? in : out, out));
    if (add_upsample) {
        upsamplers_ = register_module("upsamplers", std::make_shared<ModuleList<Upsample2D>>());
        upsamplers_->push_back(std::make_shared<Upsample2D>(out));
    }
}

Tensor UpBlockTemporalDecoder::forward(Tensor x, const Tensor& indicator) const {
    for (const auto& r : *resnets_) x = r->forward(x, Tensor(), indicator);
    if (upsamplers_) x = (*upsamplers_)[0].forward(x);
    return x;
}

TemporalDecoder::TemporalDecoder(const VaeConfig& c) {
    const auto& ch = c.block_out_channels;
    conv_in_ = register_module("conv_in", std::make_shared<Conv2d>(c.latent_channels, ch.back(), 3, 1, 1));
    mid_block_ = register_module("mid_block", std::make_shared<MidBlockTemporalDecoder>(ch.back(), c.layers_per_block));
    up_blocks_ = register_module("up_blocks", std::make_shared<ModuleList<UpBlockTemporalDecoder>>());
    int64_t out = ch.back();
    for (size_t i = 0; i < ch.size(); ++i) {
        const int64_t prev = out;
        out = ch[ch.size() - 1 - i];
        up_blocks_->push_back(
            std::make_shared<UpBlockTemporalDecoder>(prev, out, c.layers_per_block + 1, i != ch.size() - 1));
    }
    conv_norm_out_ = register_module("conv_norm_out", std::make_shared<GroupNorm>(32, ch[0], 1e-6));
    conv_out_ = register_module("conv_out", std::make_shared<Conv2d>(ch[0], c.out_channels, 3, 1, 1));
    time_conv_out_ = register_module("time_conv_out", std::make_shared<TemporalConv3d>(c.out_channels, c.out_channels, 3));
}

Tensor TemporalDecoder::forward(const Tensor& z, const Tensor& indicator, int64_t num_frames) const {
    Tensor x = conv_in_->forward(z);
    x = mid_block_->forward(x, indicator);
    for (const auto& b : *up_blocks_) x = b->forward(x, indicator);
    x = conv_out_->forward(at::silu(conv_norm_out_->forward(x)));
    const int64_t batch_frames = x.size(0), channels = x.size(1), height = x.size(2), width = x.size(3);
    const int64_t batch = batch_frames / num_frames;
    x = x.unsqueeze(0).reshape({batch, num_frames, channels, height, width}).permute({0, 2, 1, 3, 4});
    x = time_conv_out_->forward(x);
    return x.permute({0, 2, 1, 3, 4}).reshape({batch_frames, channels, height, width});
}

AutoencoderKLTemporalDecoder::AutoencoderKLTemporalDecoder(const VaeConfig& c) : c_(c) {
    encoder_ = register_module("encoder", std::make_shared<VaeEncoder>(c));
    decoder_ = register_module("decoder", std::make_shared<TemporalDecoder>(c));
    quant_conv_ = register_module("quant_conv",
                                  std::make_shared<Conv2d>(2 * c.latent_channels, 2 * c.latent_channels, 1, 1, 0));
}

Tensor AutoencoderKLTemporalDecoder::encode_mode(const Tensor& x) const {
    Tensor moments = quant_conv_->forward(encoder_->forward(x));
    return moments.chunk(2, 1)[0];  // DiagonalGaussianDistribution.mode() is the mean
}

Tensor AutoencoderKLTemporalDecoder::decode(const Tensor& z, int64_t num_frames) const {
    const int64_t batch = z.size(0) / num_frames;
    Tensor indicator = at::zeros({batch, num_frames}, z.options());
    return decoder_->forward(z, indicator, num_frames);
}

}  // namespace pi
