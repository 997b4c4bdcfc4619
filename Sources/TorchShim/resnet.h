// resnet.h — ports of diffusers models/resnet.py (ResnetBlock2D, TemporalResnetBlock,
// SpatioTemporalResBlock, AlphaBlender) and models/downsampling.py / upsampling.py
// (Downsample2D, Upsample2D with a convolution).
#pragma once

#include <optional>

#include "modules.h"

namespace pi {

// ResnetBlock2D with time_embedding_norm "default", silu, output_scale_factor 1.
class ResnetBlock2D : public torch::nn::Module {
public:
    // temb_channels 0: no time embedding projection.
    ResnetBlock2D(int64_t in, int64_t out, int64_t temb_channels, double eps, int64_t groups = 32);
    Tensor forward(const Tensor& x, const Tensor& temb) const;

private:
    std::shared_ptr<GroupNorm> norm1_, norm2_;
    std::shared_ptr<Conv2d> conv1_, conv2_, conv_shortcut_;
    std::shared_ptr<Linear> time_emb_proj_;
};

// TemporalResnetBlock: (3, 1, 1) convolutions over (B, C, F, H, W).
class TemporalResnetBlock : public torch::nn::Module {
public:
    TemporalResnetBlock(int64_t in, int64_t out, int64_t temb_channels, double eps);
    Tensor forward(const Tensor& x, const Tensor& temb) const;  // temb: (B, F, T) or undefined

private:
    std::shared_ptr<GroupNorm> norm1_, norm2_;
    std::shared_ptr<TemporalConv3d> conv1_, conv2_, conv_shortcut_;
    std::shared_ptr<Linear> time_emb_proj_;
};

// AlphaBlender: mixes the spatial and temporal paths with a learned factor.
class AlphaBlender : public torch::nn::Module {
public:
    enum class Strategy { Learned, LearnedWithImages };
    AlphaBlender(Strategy s, bool switch_spatial_to_temporal_mix);
    // image_only_indicator (B, F) is needed for LearnedWithImages.
    Tensor forward(const Tensor& x_spatial, const Tensor& x_temporal, const Tensor& image_only_indicator) const;

private:
    Strategy strategy_;
    bool switch_;
    Tensor mix_factor_;
};

class SpatioTemporalResBlock : public torch::nn::Module {
public:
    SpatioTemporalResBlock(int64_t in, int64_t out, int64_t temb_channels, double eps,
                           std::optional<double> temporal_eps = std::nullopt,
                           AlphaBlender::Strategy merge = AlphaBlender::Strategy::LearnedWithImages,
                           bool switch_spatial_to_temporal_mix = false);
    Tensor forward(const Tensor& x, const Tensor& temb, const Tensor& image_only_indicator) const;

private:
    std::shared_ptr<ResnetBlock2D> spatial_;
    std::shared_ptr<TemporalResnetBlock> temporal_;
    std::shared_ptr<AlphaBlender> mixer_;
};

// Downsample2D(use_conv=True): a stride-2 3x3 convolution; padding 0 pads (0, 1, 0, 1) first.
class Downsample2D : public torch::nn::Module {
public:
    Downsample2D(int64_t channels, int64_t padding);
    Tensor forward(const Tensor& x) const;

private:
    int64_t padding_;
    std::shared_ptr<Conv2d> conv_;
};

// Upsample2D(use_conv=True): nearest x2 (or to output_size), then a 3x3 convolution.
class Upsample2D : public torch::nn::Module {
public:
    explicit Upsample2D(int64_t channels);
    Tensor forward(const Tensor& x, at::OptionalIntArrayRef output_size = std::nullopt) const;

private:
    std::shared_ptr<Conv2d> conv_;
};

}  // namespace pi
