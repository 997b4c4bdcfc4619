// attention.h — ports of diffusers models/attention_processor.py (Attention with
// AttnProcessor2_0) and models/attention.py (FeedForward with GEGLU, BasicTransformerBlock,
// TemporalBasicTransformerBlock), as Stable Video Diffusion configures them.
#pragma once

#include "modules.h"

namespace pi {

// Whether cross-attention over a single key/value token takes the cheap path: softmax over one
// key is exactly 1, so the output is to_out(to_v(context)) computed once per batch row and
// broadcast over the queries (no query projection, no attention, no per-query output GEMM).
// It equals the full computation up to float rounding: the GEMMs see fewer rows, and BLAS
// sums differently for them (about 1e-5 relative). The pipeline sets it per call (thread-local).
bool cheap_single_token_attention();

class SingleTokenAttentionScope {
public:
    explicit SingleTokenAttentionScope(bool cheap);
    ~SingleTokenAttentionScope();
    SingleTokenAttentionScope(const SingleTokenAttentionScope&) = delete;
    SingleTokenAttentionScope& operator=(const SingleTokenAttentionScope&) = delete;

private:
    bool previous_;
};

struct AttentionOptions {
    int64_t query_dim = 0;
    int64_t cross_attention_dim = 0;  // 0: self-attention (keys from query_dim)
    int64_t heads = 8;
    int64_t dim_head = 64;
    bool bias = false;      // of to_q/to_k/to_v
    bool out_bias = true;   // of to_out.0
    int64_t norm_num_groups = 0;  // > 0: a GroupNorm (VAE attention)
    double eps = 1e-5;
    bool residual_connection = false;
    double rescale_output_factor = 1.0;
};

// diffusers Attention + AttnProcessor2_0 (scaled_dot_product_attention).
class Attention : public torch::nn::Module {
public:
    explicit Attention(const AttentionOptions& o);
    // hidden: (B, S, C) or (B, C, H, W); context: (B, T, D) or undefined for self-attention.
    Tensor forward(const Tensor& hidden, const Tensor& context = Tensor()) const;
    // Cross-attention over one context token per batch row: to_out(to_v(context)), (B, 1, C).
    Tensor single_token(const Tensor& context) const;

private:
    AttentionOptions o_;
    std::shared_ptr<GroupNorm> group_norm_;
    std::shared_ptr<Linear> to_q_, to_k_, to_v_;
    std::shared_ptr<ModuleList<Linear>> to_out_;
};

// diffusers FeedForward(activation_fn="geglu"): net.0 = GEGLU(proj), net.1 dropout, net.2 Linear.
class FeedForward : public torch::nn::Module {
public:
    FeedForward(int64_t dim, int64_t dim_out, int64_t mult = 4);
    Tensor forward(const Tensor& x) const;

private:
    std::shared_ptr<Linear> proj_, out_;
};

// diffusers BasicTransformerBlock with norm_type "layer_norm", self- then cross-attention.
class BasicTransformerBlock : public torch::nn::Module {
public:
    BasicTransformerBlock(int64_t dim, int64_t heads, int64_t head_dim, int64_t cross_attention_dim);
    Tensor forward(Tensor hidden, const Tensor& context) const;

private:
    std::shared_ptr<LayerNorm> norm1_, norm2_, norm3_;
    std::shared_ptr<Attention> attn1_, attn2_;
    std::shared_ptr<FeedForward> ff_;
};

// diffusers TemporalBasicTransformerBlock: attention across frames at each spatial position.
class TemporalBasicTransformerBlock : public torch::nn::Module {
public:
    TemporalBasicTransformerBlock(int64_t dim, int64_t time_mix_inner_dim, int64_t heads, int64_t head_dim,
                                  int64_t cross_attention_dim);
    // hidden: (B*F, S, C). context: (B*S, T, D) as diffusers builds it (the first frame's
    // context per position); with T == 1 and the cheap path, context_first (B, 1, D) is used.
    Tensor forward(const Tensor& hidden, int64_t num_frames, const Tensor& context,
                   const Tensor& context_first) const;

private:
    bool is_res_;
    std::shared_ptr<LayerNorm> norm_in_, norm1_, norm2_, norm3_;
    std::shared_ptr<FeedForward> ff_in_, ff_;
    std::shared_ptr<Attention> attn1_, attn2_;
};

}  // namespace pi
