// attention.cpp — ports diffusers models/attention_processor.py (Attention, AttnProcessor2_0)
// and models/attention.py (FeedForward/GEGLU, BasicTransformerBlock,
// TemporalBasicTransformerBlock). Op order and views follow upstream so CPU results match.
#include "attention.h"


namespace pi {

namespace {
thread_local bool t_cheap = false;
}  // namespace

bool cheap_single_token_attention() { return t_cheap; }
SingleTokenAttentionScope::SingleTokenAttentionScope(bool cheap) : previous_(t_cheap) { t_cheap = cheap; }
SingleTokenAttentionScope::~SingleTokenAttentionScope() { t_cheap = previous_; }

Attention::Attention(const AttentionOptions& o) : o_(o) {
    const int64_t inner = o.heads * o.dim_head;
    const int64_t kv_in = o.cross_attention_dim > 0 ? o.cross_attention_dim : o.query_dim;
    if (o.norm_num_groups > 0)
        group_norm_ = register_module("group_norm", std::make_shared<GroupNorm>(o.norm_num_groups, o.query_dim, o.eps));
    to_q_ = register_module("to_q", std::make_shared<Linear>(o.query_dim, inner, o.bias));
    to_k_ = register_module("to_k", std::make_shared<Linear>(kv_in, inner, o.bias));
    to_v_ = register_module("to_v", std::make_shared<Linear>(kv_in, inner, o.bias));
    to_out_ = register_module("to_out", std::make_shared<ModuleList<Linear>>());
    to_out_->push_back(std::make_shared<Linear>(inner, o.query_dim, o.out_bias));  // to_out.1 is dropout
}

Tensor Attention::forward(const Tensor& hidden_in, const Tensor& context) const {
    const Tensor& residual = hidden_in;
    Tensor hidden = hidden_in;
    const int64_t input_ndim = hidden.dim();
    int64_t batch = hidden.size(0), channel = 0, height = 0, width = 0;
    if (input_ndim == 4) {
        channel = hidden.size(1), height = hidden.size(2), width = hidden.size(3);
        hidden = hidden.view({batch, channel, height * width}).transpose(1, 2);
    }
    if (group_norm_) hidden = group_norm_->forward(hidden.transpose(1, 2)).transpose(1, 2);

    Tensor out;
    if (context.defined() && context.size(1) == 1 && cheap_single_token_attention()) {
        // softmax over a single key is 1: every query gets that token's value.
        out = single_token(context).expand({batch, hidden.size(1), o_.query_dim});
    } else {
        Tensor query = to_q_->forward(hidden);
        const Tensor& kv = context.defined() ? context : hidden;
        Tensor key = to_k_->forward(kv);
        Tensor value = to_v_->forward(kv);
        const int64_t inner = key.size(-1), head_dim = inner / o_.heads;
        query = query.view({batch, -1, o_.heads, head_dim}).transpose(1, 2);
        key = key.view({batch, -1, o_.heads, head_dim}).transpose(1, 2);
        value = value.view({batch, -1, o_.heads, head_dim}).transpose(1, 2);
        Tensor h = at::scaled_dot_product_attention(query, key, value, {}, 0.0, false);
        h = h.transpose(1, 2).reshape({batch, -1, o_.heads * head_dim});
        out = (*to_out_)[0].forward(h);
    }
    if (input_ndim == 4) out = out.transpose(-1, -2).reshape({batch, channel, height, width});
    if (o_.residual_connection) out = out + residual;
    if (o_.rescale_output_factor != 1.0) out = out / o_.rescale_output_factor;
    return out;
}

Tensor Attention::single_token(const Tensor& context) const {
    return (*to_out_)[0].forward(to_v_->forward(context));
}

FeedForward::FeedForward(int64_t dim, int64_t dim_out, int64_t mult) {
    const int64_t inner = dim * mult;
    auto net = register_module("net", std::make_shared<ModuleList<torch::nn::Module>>());
    auto geglu = std::make_shared<torch::nn::Module>();
    proj_ = geglu->register_module("proj", std::make_shared<Linear>(dim, inner * 2));
    net->push_back(geglu);
    net->push_back(std::make_shared<torch::nn::Module>());  // net.1: dropout, no parameters
    out_ = std::make_shared<Linear>(inner, dim_out);
    net->push_back(out_);
}

Tensor FeedForward::forward(const Tensor& x) const {
    auto parts = proj_->forward(x).chunk(2, -1);  // GEGLU: hidden * gelu(gate)
    return out_->forward(parts[0] * at::gelu(parts[1]));
}

BasicTransformerBlock::BasicTransformerBlock(int64_t dim, int64_t heads, int64_t head_dim, int64_t cross_dim) {
    norm1_ = register_module("norm1", std::make_shared<LayerNorm>(dim, 1e-5));
    AttentionOptions a;
    a.query_dim = dim, a.heads = heads, a.dim_head = head_dim;
    attn1_ = register_module("attn1", std::make_shared<Attention>(a));
    norm2_ = register_module("norm2", std::make_shared<LayerNorm>(dim, 1e-5));
    a.cross_attention_dim = cross_dim;
    attn2_ = register_module("attn2", std::make_shared<Attention>(a));
    norm3_ = register_module("norm3", std::make_shared<LayerNorm>(dim, 1e-5));
    ff_ = register_module("ff", std::make_shared<FeedForward>(dim, dim));
}

Tensor BasicTransformerBlock::forward(Tensor hidden, const Tensor& context) const {
    hidden = attn1_->forward(norm1_->forward(hidden)) + hidden;
    if (context.size(1) == 1 && cheap_single_token_attention())
        hidden = attn2_->single_token(context) + hidden;  // (B, 1, C) broadcast over the sequence
    else
        hidden = attn2_->forward(norm2_->forward(hidden), context) + hidden;
    hidden = ff_->forward(norm3_->forward(hidden)) + hidden;
    return hidden;
}

TemporalBasicTransformerBlock::TemporalBasicTransformerBlock(int64_t dim, int64_t inner, int64_t heads,
                                                             int64_t head_dim, int64_t cross_dim)
    : is_res_(dim == inner) {
    norm_in_ = register_module("norm_in", std::make_shared<LayerNorm>(dim));
    ff_in_ = register_module("ff_in", std::make_shared<FeedForward>(dim, inner));
    norm1_ = register_module("norm1", std::make_shared<LayerNorm>(inner));
    AttentionOptions a;
    a.query_dim = inner, a.heads = heads, a.dim_head = head_dim;
    attn1_ = register_module("attn1", std::make_shared<Attention>(a));
    if (cross_dim > 0) {
        norm2_ = register_module("norm2", std::make_shared<LayerNorm>(inner));
        a.cross_attention_dim = cross_dim;
        attn2_ = register_module("attn2", std::make_shared<Attention>(a));
    }
    norm3_ = register_module("norm3", std::make_shared<LayerNorm>(inner));
    ff_ = register_module("ff", std::make_shared<FeedForward>(inner, inner));
}

Tensor TemporalBasicTransformerBlock::forward(const Tensor& hidden_in, int64_t num_frames, const Tensor& context,
                                              const Tensor& context_first) const {
    const int64_t batch_frames = hidden_in.size(0), seq = hidden_in.size(1), channels = hidden_in.size(2);
    const int64_t batch = batch_frames / num_frames;
    Tensor hidden = hidden_in.unsqueeze(0).reshape({batch, num_frames, seq, channels});
    hidden = hidden.permute({0, 2, 1, 3}).reshape({batch * seq, num_frames, channels});
    Tensor residual = hidden;
    hidden = ff_in_->forward(norm_in_->forward(hidden));
    if (is_res_) hidden = hidden + residual;
    hidden = attn1_->forward(norm1_->forward(hidden)) + hidden;
    if (attn2_) {
        if (context_first.defined() && context_first.size(1) == 1 && cheap_single_token_attention()) {
            // The context is the same token for every position of a batch row: project it once
            // per row, (B, 1, C), and broadcast over positions and frames.
            Tensor a = attn2_->single_token(context_first);
            hidden = (a.unsqueeze(1) + hidden.reshape({batch, seq, num_frames, channels}))
                         .reshape({batch * seq, num_frames, channels});
        } else {
            hidden = attn2_->forward(norm2_->forward(hidden), context) + hidden;
        }
    }
    Tensor ff = ff_->forward(norm3_->forward(hidden));
    hidden = is_res_ ? ff + hidden : ff;
    hidden = hidden.unsqueeze(0).reshape({batch, seq, num_frames, channels});
    return hidden.permute({0, 2, 1, 3}).reshape({batch * num_frames, seq, channels});
}

}  // namespace pi
