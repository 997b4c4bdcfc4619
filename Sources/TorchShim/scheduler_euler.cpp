// scheduler_euler.cpp — ports diffusers schedulers/scheduling_euler_discrete.py. The
// float64 numpy parts (np.interp, Karras sigmas, np.linspace) are written out in double, the
// torch float32 parts use the same ATen ops, so sigmas and timesteps match bit for bit.
#include "scheduler_euler.h"

#include <cmath>

#include "errors.h"

namespace pi {
namespace {

// np.linspace(start, stop, num) with endpoint=True.
std::vector<double> np_linspace(double start, double stop, int num) {
    std::vector<double> y(static_cast<size_t>(std::max(num, 0)));
    if (num <= 0) return y;
    const int div = num - 1;
    const double delta = stop - start;
    const double step = div > 0 ? delta / div : 0.0;
    for (int i = 0; i < num; ++i) y[i] = (div > 0 ? i * step : i * delta) + start;
    if (num > 1) y[num - 1] = stop;
    return y;
}

// np.interp(x, arange(len(fp)), fp) for x within range.
double np_interp(double x, const std::vector<double>& fp) {
    const int64_t n = static_cast<int64_t>(fp.size());
    if (x <= 0) return fp[0];
    if (x >= double(n - 1)) return fp[n - 1];
    const int64_t j = static_cast<int64_t>(std::floor(x));
    if (double(j) == x) return fp[j];
    const double slope = (fp[j + 1] - fp[j]) / 1.0;
    double r = slope * (x - double(j)) + fp[j];
    if (std::isnan(r)) r = slope * (x - double(j + 1)) + fp[j + 1];
    return r;
}

// EulerDiscreteScheduler._sigma_to_t: fractional training timestep of a sigma.
double sigma_to_t(double sigma, const std::vector<double>& log_sigmas) {
    const double log_sigma = std::log(std::max(sigma, 1e-10));
    const int64_t n = static_cast<int64_t>(log_sigmas.size());
    // cumsum(dists >= 0).argmax() == the last index whose log_sigma_i <= log_sigma (sigmas ascend)
    int64_t low = 0, count = 0, best = 0;
    for (int64_t i = 0; i < n; ++i) {
        count += (log_sigma - log_sigmas[i]) >= 0 ? 1 : 0;
        if (count > best) best = count, low = i;
    }
    low = std::min(low, n - 2);
    const double lo = log_sigmas[low], hi = log_sigmas[low + 1];
    double w = (lo - log_sigma) / (lo - hi);
    w = std::min(1.0, std::max(0.0, w));
    return (1 - w) * double(low) + w * double(low + 1);
}

}  // namespace

EulerDiscreteScheduler::EulerDiscreteScheduler(const SchedulerConfig& c) : c_(c) {
    const auto f32 = at::TensorOptions().dtype(at::kFloat);
    at::Tensor betas;
    if (!c.trained_betas.empty()) {
        betas = at::tensor(c.trained_betas, at::TensorOptions().dtype(at::kDouble)).to(at::kFloat);
    } else if (c.beta_schedule == "linear") {
        betas = at::linspace(c.beta_start, c.beta_end, c.num_train_timesteps, f32);
    } else if (c.beta_schedule == "scaled_linear") {
        betas = at::pow(at::linspace(std::sqrt(c.beta_start), std::sqrt(c.beta_end), c.num_train_timesteps, f32), 2);
    } else {
        fail(PI_ERR_MODEL, "scheduler/scheduler_config.json: unsupported beta_schedule '" + c.beta_schedule +
                               "' (supported: linear, scaled_linear)");
    }
    if (c.rescale_betas_zero_snr)
        fail(PI_ERR_MODEL, "scheduler/scheduler_config.json: rescale_betas_zero_snr is not supported");
    if (c.use_beta_sigmas || c.use_exponential_sigmas)
        fail(PI_ERR_MODEL, "scheduler/scheduler_config.json: use_beta_sigmas/use_exponential_sigmas are not supported");
    if (c.prediction_type != "epsilon" && c.prediction_type != "v_prediction" && c.prediction_type != "sample" &&
        c.prediction_type != "original_sample")
        fail(PI_ERR_MODEL, "scheduler/scheduler_config.json: unsupported prediction_type '" + c.prediction_type + "'");
    at::Tensor alphas = 1.0 - betas;
    alphas_cumprod_ = at::cumprod(alphas, 0);
}

void EulerDiscreteScheduler::set_timesteps(int steps, const at::Device& device) {
    if (steps < 1) fail(PI_ERR_INVALID_ARGUMENT, "steps must be at least 1, got " + std::to_string(steps));
    const int T = c_.num_train_timesteps;
    std::vector<double> timesteps(steps);
    if (c_.timestep_spacing == "linspace") {
        // np.linspace(0, T - 1, steps, dtype=float32)[::-1]
        auto t = np_linspace(0, T - 1, steps);
        for (int i = 0; i < steps; ++i) timesteps[i] = static_cast<float>(t[steps - 1 - i]);
    } else if (c_.timestep_spacing == "leading") {
        const int ratio = T / steps;
        for (int i = 0; i < steps; ++i) timesteps[i] = float(double(steps - 1 - i) * ratio) + float(c_.steps_offset);
    } else if (c_.timestep_spacing == "trailing") {
        const double ratio = double(T) / steps;
        // np.arange(T, 0, -ratio).round() - 1
        const auto count = static_cast<int64_t>(std::ceil(double(T) / ratio));
        timesteps.resize(static_cast<size_t>(count));
        for (int64_t k = 0; k < count; ++k)
            timesteps[k] = static_cast<float>(std::nearbyint(T + double(k) * -ratio)) - 1.0f;
    } else {
        fail(PI_ERR_MODEL, "scheduler/scheduler_config.json: unsupported timestep_spacing '" + c_.timestep_spacing + "'");
    }

    // sigmas = ((1 - alphas_cumprod) / alphas_cumprod) ** 0.5, in float32 torch, then float64 numpy
    at::Tensor base = at::pow((1 - alphas_cumprod_) / alphas_cumprod_, 0.5).contiguous();
    const float* bp = base.data_ptr<float>();
    std::vector<double> sig(bp, bp + base.numel()), log_sigmas(sig.size());
    for (size_t i = 0; i < sig.size(); ++i) log_sigmas[i] = static_cast<float>(std::log(static_cast<float>(sig[i])));

    std::vector<double> sigmas(timesteps.size());
    if (c_.interpolation_type == "linear") {
        for (size_t i = 0; i < timesteps.size(); ++i) sigmas[i] = np_interp(timesteps[i], sig);
    } else {
        fail(PI_ERR_MODEL, "scheduler/scheduler_config.json: unsupported interpolation_type '" +
                               c_.interpolation_type + "' (supported: linear)");
    }
    if (c_.use_karras_sigmas) {
        const double smin = c_.sigma_min.value_or(sigmas.back()), smax = c_.sigma_max.value_or(sigmas.front());
        const double rho = 7.0;
        const auto ramp = np_linspace(0, 1, steps);
        const double min_inv = std::pow(smin, 1 / rho), max_inv = std::pow(smax, 1 / rho);
        sigmas.resize(steps);
        timesteps.resize(steps);
        for (int i = 0; i < steps; ++i) sigmas[i] = std::pow(max_inv + ramp[i] * (min_inv - max_inv), rho);
        for (int i = 0; i < steps; ++i) timesteps[i] = sigma_to_t(sigmas[i], log_sigmas);
    }
    double last = 0;
    if (c_.final_sigmas_type == "sigma_min") {
        last = sig[0];
    } else if (c_.final_sigmas_type != "zero") {
        fail(PI_ERR_MODEL, "scheduler/scheduler_config.json: unsupported final_sigmas_type '" + c_.final_sigmas_type + "'");
    }
    std::vector<float> s32(sigmas.size() + 1);
    for (size_t i = 0; i < sigmas.size(); ++i) s32[i] = static_cast<float>(sigmas[i]);
    s32.back() = static_cast<float>(last);
    sigmas_ = at::tensor(s32, at::TensorOptions().dtype(at::kFloat));

    if (c_.timestep_type == "continuous" && c_.prediction_type == "v_prediction") {
        // torch.Tensor([0.25 * sigma.log() for sigma in sigmas[:-1]]): one 0-dim op per value
        std::vector<float> t(sigmas.size());
        for (size_t i = 0; i < t.size(); ++i) t[i] = (sigmas_[int64_t(i)].log() * 0.25).item<float>();
        timesteps_ = at::tensor(t, at::TensorOptions().dtype(at::kFloat)).to(device);
    } else {
        std::vector<float> t(timesteps.begin(), timesteps.end());
        timesteps_ = at::tensor(t, at::TensorOptions().dtype(at::kFloat)).to(device);
    }
}

at::Tensor EulerDiscreteScheduler::init_noise_sigma() const {
    at::Tensor max_sigma = sigmas_.max();
    if (c_.timestep_spacing == "linspace" || c_.timestep_spacing == "trailing") return max_sigma;
    return at::pow(at::pow(max_sigma, 2) + 1, 0.5);
}

at::Tensor EulerDiscreteScheduler::scale_model_input(const at::Tensor& sample, int i) const {
    at::Tensor sigma = sigmas_[i];
    return sample / at::pow(at::pow(sigma, 2) + 1, 0.5);
}

at::Tensor EulerDiscreteScheduler::step(const at::Tensor& model_output, int i, const at::Tensor& sample_in) const {
    at::Tensor sample = sample_in.to(at::kFloat);
    at::Tensor sigma = sigmas_[i];
    at::Tensor sigma_hat = sigma * (0.0 + 1);  // gamma = 0 (no churn)
    at::Tensor pred;
    if (c_.prediction_type == "epsilon") {
        pred = sample - sigma_hat * model_output;
    } else if (c_.prediction_type == "v_prediction") {
        pred = model_output * (-sigma / at::pow(at::pow(sigma, 2) + 1, 0.5)) + (sample / (at::pow(sigma, 2) + 1));
    } else {
        pred = model_output;
    }
    at::Tensor derivative = (sample - pred) / sigma_hat;
    at::Tensor dt = sigmas_[i + 1] - sigma_hat;
    at::Tensor prev = sample + derivative * dt;
    return prev.to(model_output.scalar_type());
}

}  // namespace pi
