// image_ops.cpp — see image_ops.h for what each function ports.
#include "image_ops.h"

#include <algorithm>
#include <cmath>

namespace pi {

at::Tensor rgb_to_tensor(const uint8_t* rgb, int width, int height, int stride) {
    at::Tensor u8 = at::from_blob(const_cast<uint8_t*>(rgb), {height, width, 3}, {stride, 3, 1},
                                  at::TensorOptions().dtype(at::kByte));
    // np.array(image).astype(np.float32) / 255.0, stacked to (1, H, W, 3), then transposed.
    at::Tensor f = u8.to(at::kFloat).contiguous() / 255.0;
    return f.unsqueeze(0).permute({0, 3, 1, 2});
}

namespace {

// _compute_padding([kh, kw]) -> F.pad order (left, right, top, bottom)
std::vector<int64_t> compute_padding(int64_t kh, int64_t kw) {
    std::vector<int64_t> out(4);
    const int64_t computed[2] = {kh - 1, kw - 1};
    for (int i = 0; i < 2; ++i) {
        const int64_t tmp = computed[1 - i];
        out[2 * i] = tmp / 2;
        out[2 * i + 1] = tmp - tmp / 2;
    }
    return out;
}

at::Tensor filter2d(const at::Tensor& input, const at::Tensor& kernel) {
    const int64_t b = input.size(0), c = input.size(1), h = input.size(2), w = input.size(3);
    at::Tensor k = kernel.unsqueeze(1).to(input.device(), input.scalar_type());
    k = k.expand({-1, c, -1, -1});
    const int64_t kh = k.size(-2), kw = k.size(-1);
    at::Tensor padded = at::pad(input, compute_padding(kh, kw), "reflect");
    k = k.reshape({-1, 1, kh, kw});
    padded = padded.view({-1, k.size(0), padded.size(-2), padded.size(-1)});
    const std::vector<int64_t> one{1, 1}, zero{0, 0};
    at::Tensor out = at::conv2d(padded, k, at::Tensor(), one, zero, one, k.size(0));
    return out.view({b, c, h, w});
}

at::Tensor gaussian(int64_t window, const at::Tensor& sigma) {
    const int64_t bs = sigma.size(0);
    at::Tensor x = (at::arange(window, sigma.options()) - window / 2).expand({bs, -1});
    if (window % 2 == 0) x = x + 0.5;
    at::Tensor g = at::exp(-x.pow(2.0) / (2 * sigma.pow(2.0)));
    return g / g.sum(-1, true);
}

}  // namespace

at::Tensor resize_with_antialiasing(const at::Tensor& input, int64_t out_h, int64_t out_w) {
    const double h = double(input.size(-2)), w = double(input.size(-1));
    const double fy = h / double(out_h), fx = w / double(out_w);
    const double sy = std::max((fy - 1.0) / 2.0, 0.001), sx = std::max((fx - 1.0) / 2.0, 0.001);
    int64_t ky = static_cast<int64_t>(std::max(2.0 * 2 * sy, 3.0));
    int64_t kx = static_cast<int64_t>(std::max(2.0 * 2 * sx, 3.0));
    if (ky % 2 == 0) ky += 1;
    if (kx % 2 == 0) kx += 1;
    // _gaussian_blur2d: sigma = torch.tensor([(sy, sx)], dtype=input.dtype)
    at::Tensor sigma = at::tensor(std::vector<double>{sy, sx}, at::TensorOptions().dtype(at::kDouble))
                           .to(input.scalar_type())
                           .view({1, 2});
    at::Tensor kernel_x = gaussian(kx, sigma.select(1, 1).view({1, 1}));
    at::Tensor kernel_y = gaussian(ky, sigma.select(1, 0).view({1, 1}));
    at::Tensor out = filter2d(input, kernel_x.unsqueeze(-2));  // (1, 1, kx)
    out = filter2d(out, kernel_y.unsqueeze(-1));               // (1, ky, 1)
    return at::upsample_bicubic2d(out, at::OptionalIntArrayRef(std::vector<int64_t>{out_h, out_w}), true,
                                  std::optional<at::ArrayRef<double>>());
}

at::Tensor clip_normalize(const at::Tensor& x, const std::vector<double>& mean, const std::vector<double>& std) {
    auto opts = at::TensorOptions().dtype(at::kDouble);
    at::Tensor m = at::tensor(mean, opts).to(at::kFloat).view({1, 3, 1, 1});
    at::Tensor s = at::tensor(std, opts).to(at::kFloat).view({1, 3, 1, 1});
    return ((x.to(at::kFloat) - m) / s).contiguous();
}

namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // Pillow's Resample.c

double sinc(double x) {
    if (x == 0.0) return 1.0;
    x *= M_PI;
    return std::sin(x) / x;
}

double lanczos(double x) { return (-3.0 <= x && x < 3.0) ? sinc(x) * sinc(x / 3) : 0.0; }

// precompute_coeffs + normalize_coeffs_8bpc for one axis.
void coeffs(int in_size, int out_size, std::vector<int>& bounds, std::vector<int32_t>& kk, int& ksize) {
    const double scale = double(in_size) / out_size;
    const double filterscale = std::max(scale, 1.0);
    const double support = 3.0 * filterscale;
    ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
    std::vector<double> k(static_cast<size_t>(out_size) * ksize, 0.0);
    bounds.assign(static_cast<size_t>(out_size) * 2, 0);
    for (int xx = 0; xx < out_size; ++xx) {
        const double center = (xx + 0.5) * scale;
        const double ss = 1.0 / filterscale;
        int xmin = static_cast<int>(center - support + 0.5);
        if (xmin < 0) xmin = 0;
        int xmax = static_cast<int>(center + support + 0.5);
        if (xmax > in_size) xmax = in_size;
        xmax -= xmin;
        double* kp = &k[static_cast<size_t>(xx) * ksize];
        double ww = 0.0;
        for (int x = 0; x < xmax; ++x) {
            const double w = lanczos((x + xmin - center + 0.5) * ss);
            kp[x] = w;
            ww += w;
        }
        for (int x = 0; x < xmax; ++x)
            if (ww != 0.0) kp[x] /= ww;
        bounds[xx * 2] = xmin;
        bounds[xx * 2 + 1] = xmax;
    }
    kk.resize(k.size());
    for (size_t i = 0; i < k.size(); ++i)
        kk[i] = static_cast<int32_t>(k[i] < 0 ? -0.5 + k[i] * (1 << kPrecisionBits) : 0.5 + k[i] * (1 << kPrecisionBits));
}

inline uint8_t clip8(int64_t v) {
    if (v >= (int64_t(1) << kPrecisionBits << 8)) return 255;
    if (v <= 0) return 0;
    return static_cast<uint8_t>(v >> kPrecisionBits);
}

}  // namespace

std::vector<uint8_t> pil_resize_lanczos(const uint8_t* rgb, int w, int h, int stride, int ow, int oh) {
    // Start from a packed copy; each pass is skipped when its axis keeps its size, as in Pillow.
    std::vector<uint8_t> cur(static_cast<size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y) std::copy(rgb + static_cast<size_t>(y) * stride, rgb + static_cast<size_t>(y) * stride + w * 3, &cur[static_cast<size_t>(y) * w * 3]);
    int cw = w, ch = h;
    std::vector<int> bounds;
    std::vector<int32_t> kk;
    int ksize = 0;
    if (ow != w) {
        coeffs(w, ow, bounds, kk, ksize);
        std::vector<uint8_t> out(static_cast<size_t>(ow) * ch * 3);
        for (int y = 0; y < ch; ++y)
            for (int xx = 0; xx < ow; ++xx) {
                const int xmin = bounds[xx * 2], xmax = bounds[xx * 2 + 1];
                const int32_t* k = &kk[static_cast<size_t>(xx) * ksize];
                for (int c = 0; c < 3; ++c) {
                    int64_t ss = int64_t(1) << (kPrecisionBits - 1);
                    for (int x = 0; x < xmax; ++x) ss += int64_t(cur[(static_cast<size_t>(y) * cw + x + xmin) * 3 + c]) * k[x];
                    out[(static_cast<size_t>(y) * ow + xx) * 3 + c] = clip8(ss);
                }
            }
        cur.swap(out);
        cw = ow;
    }
    if (oh != h) {
        coeffs(h, oh, bounds, kk, ksize);
        std::vector<uint8_t> out(static_cast<size_t>(cw) * oh * 3);
        for (int yy = 0; yy < oh; ++yy) {
            const int ymin = bounds[yy * 2], ymax = bounds[yy * 2 + 1];
            const int32_t* k = &kk[static_cast<size_t>(yy) * ksize];
            for (int x = 0; x < cw; ++x)
                for (int c = 0; c < 3; ++c) {
                    int64_t ss = int64_t(1) << (kPrecisionBits - 1);
                    for (int y = 0; y < ymax; ++y) ss += int64_t(cur[(static_cast<size_t>(y + ymin) * cw + x) * 3 + c]) * k[y];
                    out[(static_cast<size_t>(yy) * cw + x) * 3 + c] = clip8(ss);
                }
        }
        cur.swap(out);
    }
    return cur;
}

at::Tensor postprocess_frames(const at::Tensor& frames) {
    at::Tensor x = (frames.to(at::kFloat) * 0.5 + 0.5).clamp(0, 1);  // VaeImageProcessor.denormalize
    return x.permute({0, 2, 3, 1});                                    // pt_to_numpy
}

at::Tensor frames_to_uint8(const at::Tensor& np_frames) {
    return (np_frames * 255).round().to(at::kByte).contiguous();
}

}  // namespace pi
