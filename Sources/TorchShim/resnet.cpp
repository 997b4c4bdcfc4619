// resnet.cpp — ports diffusers models/resnet.py (ResnetBlock2D, TemporalResnetBlock,
// SpatioTemporalResBlock, AlphaBlender), models/downsampling.py (Downsample2D) and
// models/upsampling.py (Upsample2D), keeping upstream's op order and views.
#include "resnet.h"

namespace pi {

ResnetBlock2D::ResnetBlock2D(int64_t in, int64_t out, int64_t temb_channels, double eps, int64_t groups) {
    norm1_ = register_module("norm1", std::make_shared<GroupNorm>(groups, in, eps));
    conv1_ = register_module("conv1", std::make_shared<Conv2d>(in, out, 3, 1, 1));
    if (temb_channels > 0) time_emb_proj_ = register_module("time_emb_proj", std::make_shared<Linear>(temb_channels, out));
    norm2_ = register_module("norm2", std::make_shared<GroupNorm>(groups, out, eps));
    conv2_ = register_module("conv2", std::make_shared<Conv2d>(out, out, 3, 1, 1));
    if (in != out) conv_shortcut_ = register_module("conv_shortcut", std::make_shared<Conv2d>(in, out, 1, 1, 0));
}

Tensor ResnetBlock2D::forward(const Tensor& x, const Tensor& temb) const {
    Tensor h = conv1_->forward(at::silu(norm1_->forward(x)));
    if (time_emb_proj_ && temb.defined()) {
        Tensor t = time_emb_proj_->forward(at::silu(temb)).unsqueeze(-1).unsqueeze(-1);
        h = h + t;
    }
    h = conv2_->forward(at::silu(norm2_->forward(h)));
    Tensor shortcut = conv_shortcut_ ? conv_shortcut_->forward(x) : x;
    return shortcut + h;  // output_scale_factor is 1 in SVD: (x + h) / 1.0 is exact
}

TemporalResnetBlock::TemporalResnetBlock(int64_t in, int64_t out, int64_t temb_channels, double eps) {
    norm1_ = register_module("norm1", std::make_shared<GroupNorm>(32, in, eps));
    conv1_ = register_module("conv1", std::make_shared<TemporalConv3d>(in, out, 3));
    if (temb_channels > 0) time_emb_proj_ = register_module("time_emb_proj", std::make_shared<Linear>(temb_channels, out));
    norm2_ = register_module("norm2", std::make_shared<GroupNorm>(32, out, eps));
    conv2_ = register_module("conv2", std::make_shared<TemporalConv3d>(out, out, 3));
    if (in != out) conv_shortcut_ = register_module("conv_shortcut", std::make_shared<TemporalConv3d>(in, out, 1));
}

Tensor TemporalResnetBlock::forward(const Tensor& x, const Tensor& temb) const {
    Tensor h = conv1_->forward(at::silu(norm1_->forward(x)));
    if (time_emb_proj_ && temb.defined()) {
        // (B, F, C) -> (B, F, C, 1, 1) -> (B, C, F, 1, 1)
        Tensor t = time_emb_proj_->forward(at::silu(temb)).unsqueeze(-1).unsqueeze(-1).permute({0, 2, 1, 3, 4});
        h = h + t;
    }
    h = conv2_->forward(at::silu(norm2_->forward(h)));
    Tensor shortcut = conv_shortcut_ ? conv_shortcut_->forward(x) : x;
    return shortcut + h;
}

AlphaBlender::AlphaBlender(Strategy s, bool sw) : strategy_(s), switch_(sw) {
    mix_factor_ = register_parameter("mix_factor", placeholder({1}), kParamRequiresGrad);
}

Tensor AlphaBlender::forward(const Tensor& xs, const Tensor& xt, const Tensor& indicator) const {
    Tensor alpha;
    if (strategy_ == Strategy::Learned) {
        alpha = at::sigmoid(mix_factor_);
    } else {
        alpha = at::where(indicator.to(at::kBool), at::ones({1, 1}, indicator.options().dtype(at::kFloat)),
                          at::sigmoid(mix_factor_).unsqueeze(-1));
        if (xs.dim() == 5)
            alpha = alpha.unsqueeze(1).unsqueeze(-1).unsqueeze(-1);  // alpha[:, None, :, None, None]
        else
            alpha = alpha.reshape({-1}).unsqueeze(-1).unsqueeze(-1);  // alpha.reshape(-1)[:, None, None]
    }
    alpha = alpha.to(xs.scalar_type());
    if (switch_) alpha = 1.0 - alpha;
    return alpha * xs + (1.0 - alpha) * xt;
}

SpatioTemporalResBlock::SpatioTemporalResBlock(int64_t in, int64_t out, int64_t temb_channels, double eps,
                                               std::optional<double> temporal_eps, AlphaBlender::Strategy merge,
                                               bool sw) {
    spatial_ = register_module("spatial_res_block", std::make_shared<ResnetBlock2D>(in, out, temb_channels, eps));
    temporal_ = register_module("temporal_res_block",
                                std::make_shared<TemporalResnetBlock>(out, out, temb_channels, temporal_eps.value_or(eps)));
    mixer_ = register_module("time_mixer", std::make_shared<AlphaBlender>(merge, sw));
}

Tensor SpatioTemporalResBlock::forward(const Tensor& x, const Tensor& temb_in, const Tensor& indicator) const {
    const int64_t num_frames = indicator.size(-1);
    Tensor h = spatial_->forward(x, temb_in);
    const int64_t batch_frames = h.size(0), channels = h.size(1), height = h.size(2), width = h.size(3);
    const int64_t batch = batch_frames / num_frames;
    Tensor mix = h.unsqueeze(0).reshape({batch, num_frames, channels, height, width}).permute({0, 2, 1, 3, 4});
    h = mix;  // upstream builds the same view twice
    Tensor temb = temb_in.defined() ? temb_in.reshape({batch, num_frames, -1}) : temb_in;
    h = temporal_->forward(h, temb);
    h = mixer_->forward(mix, h, indicator);
    return h.permute({0, 2, 1, 3, 4}).reshape({batch_frames, channels, height, width});
}

Downsample2D::Downsample2D(int64_t channels, int64_t padding) : padding_(padding) {
    conv_ = register_module("conv", std::make_shared<Conv2d>(channels, channels, 3, 2, padding));
}

Tensor Downsample2D::forward(const Tensor& x) const {
    if (padding_ == 0) return conv_->forward(at::constant_pad_nd(x, {0, 1, 0, 1}, 0));
    return conv_->forward(x);
}

Upsample2D::Upsample2D(int64_t channels) {
    conv_ = register_module("conv", std::make_shared<Conv2d>(channels, channels, 3, 1, 1));
}

Tensor Upsample2D::forward(const Tensor& x_in, at::OptionalIntArrayRef output_size) const {
    Tensor x = x_in.size(0) >= 64 ? x_in.contiguous() : x_in;
    // F.interpolate(mode="nearest") calls the overload taking output_size or scale_factors.
    const std::vector<double> scales{2.0, 2.0};
    if (output_size.has_value())
        x = at::upsample_nearest2d(x, at::OptionalIntArrayRef(*output_size), std::optional<at::ArrayRef<double>>());
    else
        x = at::upsample_nearest2d(x, at::OptionalIntArrayRef(), std::optional<at::ArrayRef<double>>(scales));
    return conv_->forward(x);
}

}  // namespace pi
