// scheduler_euler.h — port of diffusers schedulers/scheduling_euler_discrete.py
// (EulerDiscreteScheduler) for inference without churn, as the SVD pipeline uses it:
// set_timesteps, init_noise_sigma, scale_model_input, step.
#pragma once

#include <ATen/ATen.h>

#include <vector>

#include "config.h"

namespace pi {

class EulerDiscreteScheduler {
public:
    explicit EulerDiscreteScheduler(const SchedulerConfig& c);

    // Computes sigmas (float32, CPU, steps + 1 values) and timesteps (float32, on device).
    void set_timesteps(int steps, const at::Device& device);
    const at::Tensor& sigmas() const { return sigmas_; }
    const at::Tensor& timesteps() const { return timesteps_; }
    int num_steps() const { return static_cast<int>(timesteps_.size(0)); }

    at::Tensor init_noise_sigma() const;  // 0-dim float32 CPU tensor
    at::Tensor scale_model_input(const at::Tensor& sample, int step_index) const;
    // One Euler step from sigma[i] to sigma[i+1]; returns prev_sample in model_output's dtype.
    at::Tensor step(const at::Tensor& model_output, int step_index, const at::Tensor& sample) const;

private:
    SchedulerConfig c_;
    at::Tensor alphas_cumprod_;  // float32
    at::Tensor sigmas_, timesteps_;
};

}  // namespace pi
