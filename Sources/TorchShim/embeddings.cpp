// embeddings.cpp — ports diffusers models/embeddings.py (get_timestep_embedding,
// TimestepEmbedding) with the same op sequence, so the float32 values match.
#include "embeddings.h"

#include <cmath>

namespace pi {

Tensor timestep_embedding(const Tensor& timesteps, int64_t dim, bool flip_sin_to_cos, double shift,
                          int64_t max_period) {
    const int64_t half = dim / 2;
    Tensor exponent = at::arange(0, half, timesteps.options().dtype(at::kFloat)) * (-std::log(double(max_period)));
    exponent = exponent / (double(half) - shift);
    Tensor emb = at::exp(exponent);
    emb = timesteps.unsqueeze(1).to(at::kFloat) * emb.unsqueeze(0);
    emb = at::cat({at::sin(emb), at::cos(emb)}, -1);
    if (flip_sin_to_cos) emb = at::cat({emb.slice(1, half), emb.slice(1, 0, half)}, -1);
    if (dim % 2 == 1) emb = at::constant_pad_nd(emb, {0, 1, 0, 0});
    return emb;
}

TimestepEmbedding::TimestepEmbedding(int64_t in_channels, int64_t time_embed_dim, int64_t out_dim) {
    linear_1_ = register_module("linear_1", std::make_shared<Linear>(in_channels, time_embed_dim));
    linear_2_ = register_module("linear_2", std::make_shared<Linear>(time_embed_dim, out_dim > 0 ? out_dim : time_embed_dim));
}

}  // namespace pi
