// image_ops.h — the pipeline's image handling outside the networks, ported from diffusers
// pipelines/stable_video_diffusion/pipeline_stable_video_diffusion.py (_resize_with_antialiasing,
// _gaussian_blur2d, _filter2d), image_processor.py (pil_to_numpy, numpy_to_pt, normalize,
// postprocess), transformers' CLIPImageProcessor normalisation, and PIL's Image.resize(LANCZOS).
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace pi {

// RGB8 (stride bytes per row) -> float (1, 3, H, W) in [0, 1] with NHWC strides, exactly as
// VaeImageProcessor.pil_to_numpy + numpy_to_pt build it (the strides matter for conv kernels).
at::Tensor rgb_to_tensor(const uint8_t* rgb, int width, int height, int stride);

// _resize_with_antialiasing(input, (h, w)): Gaussian blur (kornia-style) then bicubic, align_corners.
at::Tensor resize_with_antialiasing(const at::Tensor& input, int64_t out_h, int64_t out_w);

// (x - mean) / std per channel, float32, contiguous (CLIPImageProcessor with do_normalize only).
at::Tensor clip_normalize(const at::Tensor& x, const std::vector<double>& mean, const std::vector<double>& std);

// PIL Image.resize((out_w, out_h), Image.LANCZOS) on an RGB8 image (8-bit fixed-point passes,
// horizontal first), returning tightly packed RGB8.
std::vector<uint8_t> pil_resize_lanczos(const uint8_t* rgb, int width, int height, int stride, int out_w, int out_h);

// Decoded frames (F, 3, H, W) in [-1, 1] -> (F, H, W, 3) float32 in [0, 1] (output_type="np").
at::Tensor postprocess_frames(const at::Tensor& frames);

// np frames -> uint8 as diffusers' numpy_to_pil: round(x * 255).
at::Tensor frames_to_uint8(const at::Tensor& np_frames);

}  // namespace pi
