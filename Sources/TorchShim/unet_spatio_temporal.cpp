// unet_spatio_temporal.cpp — ports diffusers models/unets/unet_spatio_temporal_condition.py
// (UNetSpatioTemporalConditionModel.__init__ and forward).
#include "unet_spatio_temporal.h"

#include "errors.h"

namespace pi {

UNetSpatioTemporal::UNetSpatioTemporal(const UNetConfig& c) : c_(c), add_in_features_(c.projection_class_embeddings_input_dim) {
    const auto& ch = c.block_out_channels;
    const size_t n = ch.size();
    const int64_t temb = ch[0] * 4;
    conv_in_ = register_module("conv_in", std::make_shared<Conv2d>(c.in_channels, ch[0], 3, 1, 1));
    time_embedding_ = register_module("time_embedding", std::make_shared<TimestepEmbedding>(ch[0], temb));
    add_embedding_ = register_module("add_embedding",
                                     std::make_shared<TimestepEmbedding>(c.projection_class_embeddings_input_dim, temb));

    down_blocks_ = register_module("down_blocks", std::make_shared<ModuleList<DownBlockSpatioTemporal>>());
    int64_t out = ch[0];
    for (size_t i = 0; i < n; ++i) {
        BlockArgs a;
        a.in_channels = out;
        out = a.out_channels = ch[i];
        a.temb_channels = temb;
        a.num_layers = c.layers_per_block[i];
        a.transformer_layers = c.transformer_layers_per_block[i];
        a.heads = c.num_attention_heads[i];
        a.cross_attention_dim = c.cross_attention_dim[i];
        a.add_sample = i != n - 1;
        if (c.down_block_types[i] == "CrossAttnDownBlockSpatioTemporal") {
            a.cross_attention = true, a.resnet_eps = 1e-6;
        } else if (c.down_block_types[i] == "DownBlockSpatioTemporal") {
            a.cross_attention = false, a.resnet_eps = 1e-5;
        } else {
            fail(PI_ERR_MODEL, "unet/config.json: unsupported down block type '" + c.down_block_types[i] +
                                   "' (expected CrossAttnDownBlockSpatioTemporal or DownBlockSpatioTemporal)");
        }
        down_blocks_->push_back(std::make_shared<DownBlockSpatioTemporal>(a));
    }

    BlockArgs m;
    m.in_channels = ch.back();
    m.temb_channels = temb;
    m.transformer_layers = c.transformer_layers_per_block.back();
    m.heads = c.num_attention_heads.back();
    m.cross_attention_dim = c.cross_attention_dim.back();
    mid_block_ = register_module("mid_block", std::make_shared<UNetMidBlockSpatioTemporal>(m));

    up_blocks_ = register_module("up_blocks", std::make_shared<ModuleList<UpBlockSpatioTemporal>>());
    out = ch[n - 1];
    for (size_t i = 0; i < n; ++i) {
        const size_t r = n - 1 - i;  // reversed index
        BlockArgs a;
        a.prev_output_channel = out;
        out = a.out_channels = ch[r];
        a.in_channels = ch[std::max<int64_t>(0, int64_t(r) - 1)];
        a.temb_channels = temb;
        a.num_layers = c.layers_per_block[r] + 1;
        a.transformer_layers = c.transformer_layers_per_block[r];
        a.heads = c.num_attention_heads[r];
        a.cross_attention_dim = c.cross_attention_dim[r];
        a.add_sample = i != n - 1;
        a.resnet_eps = 1e-6;
        if (a.add_sample) ++num_upsamplers_;
        if (c.up_block_types[i] == "CrossAttnUpBlockSpatioTemporal")
            a.cross_attention = true;
        else if (c.up_block_types[i] != "UpBlockSpatioTemporal")
            fail(PI_ERR_MODEL, "unet/config.json: unsupported up block type '" + c.up_block_types[i] +
                                   "' (expected CrossAttnUpBlockSpatioTemporal or UpBlockSpatioTemporal)");
        up_blocks_->push_back(std::make_shared<UpBlockSpatioTemporal>(a));
    }
    conv_norm_out_ = register_module("conv_norm_out", std::make_shared<GroupNorm>(32, ch[0], 1e-5));
    conv_out_ = register_module("conv_out", std::make_shared<Conv2d>(ch[0], c.out_channels, 3, 1, 1));
}

Tensor UNetSpatioTemporal::forward(const Tensor& sample_in, const Tensor& timestep, const Tensor& context,
                                   const Tensor& added_time_ids) const {
    const int64_t up_factor = int64_t(1) << num_upsamplers_;
    const bool forward_upsample_size = sample_in.size(-1) % up_factor != 0 || sample_in.size(-2) % up_factor != 0;

    const int64_t batch = sample_in.size(0), num_frames = sample_in.size(1);
    Tensor timesteps = (timestep.dim() == 0 ? timestep.unsqueeze(0) : timestep).to(sample_in.device());
    timesteps = timesteps.expand({batch});
    const int64_t ch0 = c_.block_out_channels[0];
    Tensor t_emb = timestep_embedding(timesteps, ch0, true, 0).to(sample_in.scalar_type());
    Tensor emb = time_embedding_->forward(t_emb);

    Tensor time_embeds = timestep_embedding(added_time_ids.flatten(), c_.addition_time_embed_dim, true, 0);
    time_embeds = time_embeds.reshape({batch, -1}).to(emb.scalar_type());
    emb = emb + add_embedding_->forward(time_embeds);

    Tensor sample = sample_in.flatten(0, 1);
    UNetContext ctx;
    ctx.temb = emb.repeat_interleave(num_frames, 0, batch * num_frames);
    ctx.context = context.repeat_interleave(num_frames, 0, context.size(0) * num_frames);
    sample = conv_in_->forward(sample);
    ctx.image_only_indicator = at::zeros({batch, num_frames}, sample.options());

    std::vector<Tensor> skips{sample};
    for (const auto& block : *down_blocks_) sample = block->forward(sample, ctx, skips);
    sample = mid_block_->forward(sample, ctx);
    for (size_t i = 0; i < up_blocks_->size(); ++i) {
        const auto& block = (*up_blocks_)[i];
        const bool is_final = i == up_blocks_->size() - 1;
        std::vector<int64_t> up_size;
        if (!is_final && forward_upsample_size) {
            const Tensor& next = skips[skips.size() - block.num_resnets() - 1];
            up_size = {next.size(2), next.size(3)};
        }
        sample = block.forward(sample, ctx, skips,
                               up_size.empty() ? at::OptionalIntArrayRef() : at::OptionalIntArrayRef(up_size));
    }
    sample = conv_out_->forward(at::silu(conv_norm_out_->forward(sample)));
    return sample.reshape({batch, num_frames, sample.size(1), sample.size(2), sample.size(3)});
}

}  // namespace pi
