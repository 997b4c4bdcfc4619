// embeddings.h — ports of diffusers models/embeddings.py: get_timestep_embedding (Timesteps)
// and TimestepEmbedding.
#pragma once

#include "modules.h"

namespace pi {

// Sinusoidal embedding of a 1-D tensor of timesteps; float32 result, as upstream.
Tensor timestep_embedding(const Tensor& timesteps, int64_t dim, bool flip_sin_to_cos, double downscale_freq_shift,
                          int64_t max_period = 10000);

// linear_1 -> silu -> linear_2
class TimestepEmbedding : public torch::nn::Module {
public:
    TimestepEmbedding(int64_t in_channels, int64_t time_embed_dim, int64_t out_dim = 0);
    Tensor forward(const Tensor& x) const { return linear_2_->forward(at::silu(linear_1_->forward(x))); }

private:
    std::shared_ptr<Linear> linear_1_, linear_2_;
};

}  // namespace pi
