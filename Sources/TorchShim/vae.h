// vae.h — port of diffusers models/autoencoders/autoencoder_kl_temporal_decoder.py
// (AutoencoderKLTemporalDecoder, TemporalDecoder) and the 2-D Encoder of
// models/autoencoders/vae.py with its blocks from models/unets/unet_2d_blocks.py
// (DownEncoderBlock2D, UNetMidBlock2D) and unet_3d_blocks.py (MidBlockTemporalDecoder,
// UpBlockTemporalDecoder).
#pragma once

#include "attention.h"
#include "config.h"
#include "resnet.h"

namespace pi {

class DownEncoderBlock2D : public torch::nn::Module {
public:
    DownEncoderBlock2D(int64_t in, int64_t out, int64_t num_layers, bool add_downsample);
    Tensor forward(Tensor x) const;

private:
    std::shared_ptr<ModuleList<ResnetBlock2D>> resnets_;
    std::shared_ptr<ModuleList<Downsample2D>> downsamplers_;
};

// UNetMidBlock2D without time embedding: resnet, (attention, resnet) x 1.
class UNetMidBlock2D : public torch::nn::Module {
public:
    explicit UNetMidBlock2D(int64_t channels);
    Tensor forward(Tensor x) const;

private:
    std::shared_ptr<ModuleList<ResnetBlock2D>> resnets_;
    std::shared_ptr<ModuleList<Attention>> attentions_;
};

// vae.py Encoder with double_z: image (N, 3, H, W) -> moments (N, 2 * latent, H/s, W/s) before quant_conv.
class VaeEncoder : public torch::nn::Module {
public:
    explicit VaeEncoder(const VaeConfig& c);
    Tensor forward(const Tensor& x) const;

private:
    std::shared_ptr<Conv2d> conv_in_, conv_out_;
    std::shared_ptr<ModuleList<DownEncoderBlock2D>> down_blocks_;
    std::shared_ptr<UNetMidBlock2D> mid_block_;
    std::shared_ptr<GroupNorm> conv_norm_out_;
};

class MidBlockTemporalDecoder : public torch::nn::Module {
public:
    MidBlockTemporalDecoder(int64_t channels, int64_t num_layers);
    Tensor forward(Tensor x, const Tensor& image_only_indicator) const;

private:
    std::shared_ptr<ModuleList<SpatioTemporalResBlock>> resnets_;
    std::shared_ptr<ModuleList<Attention>> attentions_;
};

class UpBlockTemporalDecoder : public torch::nn::Module {
public:
    UpBlockTemporalDecoder(int64_t in, int64_t out, int64_t num_layers, bool add_upsample);
    Tensor forward(Tensor x, const Tensor& image_only_indicator) const;

private:
    std::shared_ptr<ModuleList<SpatioTemporalResBlock>> resnets_;
    std::shared_ptr<ModuleList<Upsample2D>> upsamplers_;
};

class TemporalDecoder : public torch::nn::Module {
public:
    explicit TemporalDecoder(const VaeConfig& c);
    Tensor forward(const Tensor& z, const Tensor& image_only_indicator, int64_t num_frames) const;

private:
    std::shared_ptr<Conv2d> conv_in_, conv_out_;
    std::shared_ptr<MidBlockTemporalDecoder> mid_block_;
    std::shared_ptr<ModuleList<UpBlockTemporalDecoder>> up_blocks_;
    std::shared_ptr<GroupNorm> conv_norm_out_;
    std::shared_ptr<TemporalConv3d> time_conv_out_;
};

class AutoencoderKLTemporalDecoder : public torch::nn::Module {
public:
    explicit AutoencoderKLTemporalDecoder(const VaeConfig& c);
    // The latent distribution's mode (its mean): (N, latent, H/s, W/s).
    Tensor encode_mode(const Tensor& x) const;
    // z: (N, latent, h, w), N a multiple of num_frames -> (N, 3, H, W).
    Tensor decode(const Tensor& z, int64_t num_frames) const;
    const VaeConfig& config() const { return c_; }
    VaeEncoder& encoder() const { return *encoder_; }
    Conv2d& quant_conv() const { return *quant_conv_; }

private:
    VaeConfig c_;
    std::shared_ptr<VaeEncoder> encoder_;
    std::shared_ptr<TemporalDecoder> decoder_;
    std::shared_ptr<Conv2d> quant_conv_;
};

}  // namespace pi
