// config.cpp — see config.h. Type errors name the file and the key.
#include "config.h"

#include <cmath>

#include "errors.h"
#include "json.h"

namespace pi {
namespace {

[[noreturn]] void bad(const Json& j, const std::string& key, const std::string& want) {
    fail(PI_ERR_MODEL, j.origin() + ": key '" + key + "': expected " + want);
}

const Json* get(const Json& j, const std::string& key) {
    const Json* v = j.find(key);
    return (v && !v->is_null()) ? v : nullptr;
}

void read(const Json& j, const std::string& key, int& out) {
    if (const Json* v = get(j, key)) {
        if (!v->is_number() || std::floor(v->number()) != v->number()) bad(j, key, "an integer");
        out = static_cast<int>(v->number());
    }
}
void read(const Json& j, const std::string& key, double& out) {
    if (const Json* v = get(j, key)) {
        if (!v->is_number()) bad(j, key, "a number");
        out = v->number();
    }
}
void read(const Json& j, const std::string& key, std::optional<double>& out) {
    if (const Json* v = get(j, key)) {
        if (!v->is_number()) bad(j, key, "a number or null");
        out = v->number();
    }
}
void read(const Json& j, const std::string& key, bool& out) {
    if (const Json* v = get(j, key)) {
        if (!v->is_bool()) bad(j, key, "true or false");
        out = v->boolean();
    }
}
void read(const Json& j, const std::string& key, std::string& out) {
    if (const Json* v = get(j, key)) {
        if (!v->is_string()) bad(j, key, "a string");
        out = v->string();
    }
}
void read(const Json& j, const std::string& key, std::vector<std::string>& out) {
    if (const Json* v = get(j, key)) {
        if (!v->is_array()) bad(j, key, "an array of strings");
        out.clear();
        for (const auto& e : v->array()) {
            if (!e.is_string()) bad(j, key, "an array of strings");
            out.push_back(e.string());
        }
    }
}
void read(const Json& j, const std::string& key, std::vector<double>& out) {
    if (const Json* v = get(j, key)) {
        if (!v->is_array()) bad(j, key, "an array of numbers");
        out.clear();
        for (const auto& e : v->array()) {
            if (!e.is_number()) bad(j, key, "an array of numbers");
            out.push_back(e.number());
        }
    }
}
void read(const Json& j, const std::string& key, std::vector<int>& out) {
    std::vector<double> d;
    read(j, key, d);
    if (get(j, key)) {
        out.clear();
        for (double x : d) out.push_back(static_cast<int>(x));
    }
}

// An int or a list of n ints (diffusers accepts both for per-level settings).
std::vector<int> per_level(const Json& j, const std::string& key, int def, size_t n) {
    const Json* v = get(j, key);
    if (!v) return std::vector<int>(n, def);
    if (v->is_number()) return std::vector<int>(n, static_cast<int>(v->number()));
    if (!v->is_array() || v->array().size() != n)
        bad(j, key, "an integer or an array of " + std::to_string(n) + " integers (one per block)");
    std::vector<int> out;
    for (const auto& e : v->array()) {
        if (!e.is_number())
            bad(j, key, "an integer or an array of integers (nested lists are not supported)");
        out.push_back(static_cast<int>(e.number()));
    }
    return out;
}

}  // namespace

UNetConfig parse_unet_config(const Json& j) {
    UNetConfig c;
    if (get(j, "sample_size")) {
        read(j, "sample_size", c.sample_size);
        c.sample_size_given = true;
    }
    read(j, "in_channels", c.in_channels);
    read(j, "out_channels", c.out_channels);
    read(j, "down_block_types", c.down_block_types);
    read(j, "up_block_types", c.up_block_types);
    read(j, "block_out_channels", c.block_out_channels);
    read(j, "addition_time_embed_dim", c.addition_time_embed_dim);
    read(j, "projection_class_embeddings_input_dim", c.projection_class_embeddings_input_dim);
    read(j, "num_frames", c.num_frames);
    const size_t n = c.down_block_types.size();
    if (c.up_block_types.size() != n || c.block_out_channels.size() != n)
        fail(PI_ERR_MODEL, j.origin() + ": down_block_types, up_block_types and block_out_channels must have the same length");
    c.layers_per_block = per_level(j, "layers_per_block", 2, n);
    c.cross_attention_dim = per_level(j, "cross_attention_dim", 1024, n);
    c.transformer_layers_per_block = per_level(j, "transformer_layers_per_block", 1, n);
    const Json* heads = get(j, "num_attention_heads");
    if (!heads) {
        c.num_attention_heads = {5, 10, 20, 20};
        if (n != 4) bad(j, "num_attention_heads", "a value (the default is for 4 blocks)");
    } else {
        c.num_attention_heads = per_level(j, "num_attention_heads", 1, n);
    }
    return c;
}

VaeConfig parse_vae_config(const Json& j) {
    VaeConfig c;
    read(j, "in_channels", c.in_channels);
    read(j, "out_channels", c.out_channels);
    read(j, "down_block_types", c.down_block_types);
    read(j, "block_out_channels", c.block_out_channels);
    read(j, "layers_per_block", c.layers_per_block);
    read(j, "latent_channels", c.latent_channels);
    read(j, "sample_size", c.sample_size);
    read(j, "scaling_factor", c.scaling_factor);
    if (const Json* v = get(j, "force_upcast")) c.force_upcast = v->is_bool() ? v->boolean() : v->number() != 0;
    if (c.down_block_types.size() != c.block_out_channels.size())
        fail(PI_ERR_MODEL, j.origin() + ": down_block_types and block_out_channels must have the same length");
    for (const auto& t : c.down_block_types)
        if (t != "DownEncoderBlock2D")
            fail(PI_ERR_MODEL, j.origin() + ": unsupported down block type '" + t + "' (expected DownEncoderBlock2D)");
    return c;
}

ClipVisionConfig parse_clip_vision_config(const Json& j0) {
    // A full CLIPConfig nests the vision part under "vision_config".
    const Json& j = (get(j0, "vision_config") ? *get(j0, "vision_config") : j0);
    ClipVisionConfig c;
    read(j, "hidden_size", c.hidden_size);
    read(j, "intermediate_size", c.intermediate_size);
    read(j0, "projection_dim", c.projection_dim);
    read(j, "projection_dim", c.projection_dim);
    read(j, "num_hidden_layers", c.num_hidden_layers);
    read(j, "num_attention_heads", c.num_attention_heads);
    read(j, "num_channels", c.num_channels);
    read(j, "image_size", c.image_size);
    read(j, "patch_size", c.patch_size);
    read(j, "hidden_act", c.hidden_act);
    read(j, "layer_norm_eps", c.layer_norm_eps);
    if (c.hidden_size % c.num_attention_heads != 0)
        fail(PI_ERR_MODEL, j.origin() + ": hidden_size is not divisible by num_attention_heads");
    return c;
}

SchedulerConfig parse_scheduler_config(const Json& j) {
    SchedulerConfig c;
    read(j, "num_train_timesteps", c.num_train_timesteps);
    read(j, "beta_start", c.beta_start);
    read(j, "beta_end", c.beta_end);
    read(j, "beta_schedule", c.beta_schedule);
    read(j, "trained_betas", c.trained_betas);
    read(j, "prediction_type", c.prediction_type);
    read(j, "interpolation_type", c.interpolation_type);
    read(j, "use_karras_sigmas", c.use_karras_sigmas);
    read(j, "use_exponential_sigmas", c.use_exponential_sigmas);
    read(j, "use_beta_sigmas", c.use_beta_sigmas);
    read(j, "sigma_min", c.sigma_min);
    read(j, "sigma_max", c.sigma_max);
    read(j, "timestep_spacing", c.timestep_spacing);
    read(j, "timestep_type", c.timestep_type);
    read(j, "steps_offset", c.steps_offset);
    read(j, "rescale_betas_zero_snr", c.rescale_betas_zero_snr);
    read(j, "final_sigmas_type", c.final_sigmas_type);
    return c;
}

FeatureExtractorConfig parse_feature_extractor_config(const Json& j) {
    FeatureExtractorConfig c;
    read(j, "image_mean", c.image_mean);
    read(j, "image_std", c.image_std);
    read(j, "do_normalize", c.do_normalize);
    if (c.image_mean.size() != 3 || c.image_std.size() != 3)
        fail(PI_ERR_MODEL, j.origin() + ": image_mean and image_std must have 3 values (RGB)");
    return c;
}

}  // namespace pi
