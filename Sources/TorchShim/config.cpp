// config.cpp — see config.h. Type errors name the file and the key.
#include "config.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

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

// Every number of a config is range-checked: a damaged or hostile file must not divide by zero,
// overflow a size or describe a network of billions of modules. The limits are far beyond any
// released SVD (block channels 1280, 25 frames, sample size 96, CLIP ViT-H).
struct Range {
    int lo, hi;
};
std::string range_text(Range r) { return "an integer in " + std::to_string(r.lo) + ".." + std::to_string(r.hi); }

bool in_range(const Json& v, Range r) {
    if (!v.is_number()) return false;
    const double d = v.number();
    return std::isfinite(d) && std::floor(d) == d && d >= r.lo && d <= r.hi;
}

std::string shown(const Json& v) {
    if (v.is_number()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.10g", v.number());
        return buf;
    }
    if (v.is_string()) return "'" + v.string().substr(0, 40) + "'";
    if (v.is_bool()) return v.boolean() ? "true" : "false";
    if (v.is_array()) return "an array";
    if (v.is_object()) return "an object";
    return "null";
}

void read(const Json& j, const std::string& key, int& out, Range r) {
    if (const Json* v = get(j, key)) {
        if (!in_range(*v, r)) bad(j, key, range_text(r) + ", got " + shown(*v));
        out = static_cast<int>(v->number());
    }
}
void read(const Json& j, const std::string& key, double& out) {
    if (const Json* v = get(j, key)) {
        if (!v->is_number() || !std::isfinite(v->number())) bad(j, key, "a finite number, got " + shown(*v));
        out = v->number();
    }
}
void read(const Json& j, const std::string& key, std::optional<double>& out) {
    if (const Json* v = get(j, key)) {
        if (!v->is_number() || !std::isfinite(v->number())) bad(j, key, "a finite number or null, got " + shown(*v));
        out = v->number();
    }
}
void read(const Json& j, const std::string& key, bool& out) {
    if (const Json* v = get(j, key)) {
        if (!v->is_bool()) bad(j, key, "true or false, got " + shown(*v));
        out = v->boolean();
    }
}
void read(const Json& j, const std::string& key, std::string& out) {
    if (const Json* v = get(j, key)) {
        if (!v->is_string()) bad(j, key, "a string, got " + shown(*v));
        out = v->string();
    }
}
void read(const Json& j, const std::string& key, std::vector<std::string>& out, size_t max_len) {
    if (const Json* v = get(j, key)) {
        if (!v->is_array() || v->array().empty() || v->array().size() > max_len)
            bad(j, key, "an array of 1.." + std::to_string(max_len) + " strings, got " + shown(*v));
        out.clear();
        for (const auto& e : v->array()) {
            if (!e.is_string()) bad(j, key, "an array of strings");
            out.push_back(e.string());
        }
    }
}
void read(const Json& j, const std::string& key, std::vector<double>& out, size_t max_len) {
    if (const Json* v = get(j, key)) {
        if (!v->is_array() || v->array().size() > max_len)
            bad(j, key, "an array of at most " + std::to_string(max_len) + " numbers, got " + shown(*v));
        out.clear();
        for (const auto& e : v->array()) {
            if (!e.is_number() || !std::isfinite(e.number())) bad(j, key, "an array of finite numbers");
            out.push_back(e.number());
        }
    }
}
void read(const Json& j, const std::string& key, std::vector<int>& out, size_t max_len, Range r) {
    if (const Json* v = get(j, key)) {
        if (!v->is_array() || v->array().empty() || v->array().size() > max_len)
            bad(j, key, "an array of 1.." + std::to_string(max_len) + " integers, got " + shown(*v));
        out.clear();
        for (const auto& e : v->array()) {
            if (!in_range(e, r)) bad(j, key, "an array of integers in " + std::to_string(r.lo) + ".." + std::to_string(r.hi) +
                                                 ", got " + shown(e));
            out.push_back(static_cast<int>(e.number()));
        }
    }
}

// An int or a list of n ints (diffusers accepts both for per-level settings).
std::vector<int> per_level(const Json& j, const std::string& key, int def, size_t n, Range r) {
    const Json* v = get(j, key);
    if (!v) return std::vector<int>(n, def);
    if (v->is_number()) {
        if (!in_range(*v, r)) bad(j, key, range_text(r) + " or an array of them, got " + shown(*v));
        return std::vector<int>(n, static_cast<int>(v->number()));
    }
    if (!v->is_array() || v->array().size() != n)
        bad(j, key, "an integer or an array of " + std::to_string(n) + " integers (one per block)");
    std::vector<int> out;
    for (const auto& e : v->array()) {
        if (!e.is_number())
            bad(j, key, "an integer or an array of integers (nested lists are not supported)");
        if (!in_range(e, r)) bad(j, key, "integers in " + std::to_string(r.lo) + ".." + std::to_string(r.hi) + ", got " + shown(e));
        out.push_back(static_cast<int>(e.number()));
    }
    return out;
}

constexpr Range kChannels{1, 64};         // image and latent channels
constexpr Range kWidth{1, 8192};          // feature widths (block channels, hidden sizes)
constexpr Range kLayers{1, 32};           // layers per block
constexpr Range kHeads{1, 1024};
constexpr size_t kMaxLevels = 8;

// GroupNorm(32) runs over each block's channels.
void check_groups(const Json& j, const std::string& key, const std::vector<int>& channels) {
    for (int c : channels)
        if (c % 32 != 0) bad(j, key, "multiples of 32 (GroupNorm's 32 groups), got " + std::to_string(c));
}

}  // namespace

UNetConfig parse_unet_config(const Json& j) {
    if (!j.is_object()) fail(PI_ERR_MODEL, j.origin() + ": expected a JSON object of settings");
    UNetConfig c;
    if (get(j, "sample_size")) {
        read(j, "sample_size", c.sample_size, Range{1, 512});
        c.sample_size_given = true;
    }
    read(j, "in_channels", c.in_channels, kChannels);
    read(j, "out_channels", c.out_channels, kChannels);
    read(j, "down_block_types", c.down_block_types, kMaxLevels);
    read(j, "up_block_types", c.up_block_types, kMaxLevels);
    read(j, "block_out_channels", c.block_out_channels, kMaxLevels, kWidth);
    read(j, "addition_time_embed_dim", c.addition_time_embed_dim, Range{2, 8192});
    read(j, "projection_class_embeddings_input_dim", c.projection_class_embeddings_input_dim, Range{1, 3 * 8192});
    read(j, "num_frames", c.num_frames, Range{1, PI_MAX_FRAMES});
    const size_t n = c.down_block_types.size();
    if (c.up_block_types.size() != n || c.block_out_channels.size() != n)
        fail(PI_ERR_MODEL, j.origin() + ": down_block_types, up_block_types and block_out_channels must have the same length");
    check_groups(j, "block_out_channels", c.block_out_channels);
    c.layers_per_block = per_level(j, "layers_per_block", 2, n, kLayers);
    c.cross_attention_dim = per_level(j, "cross_attention_dim", 1024, n, kWidth);
    c.transformer_layers_per_block = per_level(j, "transformer_layers_per_block", 1, n, kLayers);
    const Json* heads = get(j, "num_attention_heads");
    if (!heads) {
        c.num_attention_heads = {5, 10, 20, 20};
        if (n != 4) bad(j, "num_attention_heads", "a value (the default is for 4 blocks)");
    } else {
        c.num_attention_heads = per_level(j, "num_attention_heads", 1, n, kHeads);
    }
    for (size_t i = 0; i < n; ++i)
        if (c.block_out_channels[i] % c.num_attention_heads[i] != 0)
            bad(j, "num_attention_heads", "a divisor of each block's channels; " + std::to_string(c.block_out_channels[i]) +
                                              " channels do not split into " + std::to_string(c.num_attention_heads[i]) +
                                              " heads");
    return c;
}

VaeConfig parse_vae_config(const Json& j) {
    if (!j.is_object()) fail(PI_ERR_MODEL, j.origin() + ": expected a JSON object of settings");
    VaeConfig c;
    read(j, "in_channels", c.in_channels, kChannels);
    read(j, "out_channels", c.out_channels, kChannels);
    read(j, "down_block_types", c.down_block_types, kMaxLevels);
    read(j, "block_out_channels", c.block_out_channels, kMaxLevels, kWidth);
    read(j, "layers_per_block", c.layers_per_block, kLayers);
    read(j, "latent_channels", c.latent_channels, kChannels);
    read(j, "sample_size", c.sample_size, Range{1, 8192});
    read(j, "scaling_factor", c.scaling_factor);
    if (!(c.scaling_factor > 0)) bad(j, "scaling_factor", "a number > 0");
    if (const Json* v = get(j, "force_upcast")) {
        if (!v->is_bool() && !v->is_number()) bad(j, "force_upcast", "true or false, got " + shown(*v));
        c.force_upcast = v->is_bool() ? v->boolean() : v->number() != 0;
    }
    if (c.down_block_types.size() != c.block_out_channels.size())
        fail(PI_ERR_MODEL, j.origin() + ": down_block_types and block_out_channels must have the same length");
    check_groups(j, "block_out_channels", c.block_out_channels);
    for (const auto& t : c.down_block_types)
        if (t != "DownEncoderBlock2D")
            fail(PI_ERR_MODEL, j.origin() + ": unsupported down block type '" + t + "' (expected DownEncoderBlock2D)");
    return c;
}

ClipVisionConfig parse_clip_vision_config(const Json& j0) {
    if (!j0.is_object()) fail(PI_ERR_MODEL, j0.origin() + ": expected a JSON object of settings");
    // A full CLIPConfig nests the vision part under "vision_config".
    const Json& j = (get(j0, "vision_config") ? *get(j0, "vision_config") : j0);
    if (!j.is_object()) bad(j0, "vision_config", "an object");
    ClipVisionConfig c;
    read(j, "hidden_size", c.hidden_size, kWidth);
    read(j, "intermediate_size", c.intermediate_size, Range{1, 4 * 8192});
    read(j0, "projection_dim", c.projection_dim, kWidth);
    read(j, "projection_dim", c.projection_dim, kWidth);
    read(j, "num_hidden_layers", c.num_hidden_layers, Range{1, 128});
    read(j, "num_attention_heads", c.num_attention_heads, kHeads);
    read(j, "num_channels", c.num_channels, kChannels);
    read(j, "image_size", c.image_size, Range{1, 4096});
    read(j, "patch_size", c.patch_size, Range{1, 4096});
    read(j, "hidden_act", c.hidden_act);
    read(j, "layer_norm_eps", c.layer_norm_eps);
    if (c.patch_size > c.image_size)
        bad(j, "patch_size", "at most image_size (" + std::to_string(c.image_size) + "), got " + std::to_string(c.patch_size));
    if (c.hidden_size % c.num_attention_heads != 0)
        fail(PI_ERR_MODEL, j.origin() + ": hidden_size is not divisible by num_attention_heads");
    static const char* acts[] = {"silu", "swish", "gelu", "quick_gelu", "gelu_pytorch_tanh", "gelu_new", "relu"};
    if (std::find(std::begin(acts), std::end(acts), c.hidden_act) == std::end(acts))
        bad(j, "hidden_act", "one of silu, gelu, quick_gelu, gelu_new, gelu_pytorch_tanh, relu; got '" + c.hidden_act + "'");
    return c;
}

SchedulerConfig parse_scheduler_config(const Json& j) {
    if (!j.is_object()) fail(PI_ERR_MODEL, j.origin() + ": expected a JSON object of settings");
    SchedulerConfig c;
    read(j, "num_train_timesteps", c.num_train_timesteps, Range{2, 100000});
    read(j, "beta_start", c.beta_start);
    read(j, "beta_end", c.beta_end);
    read(j, "beta_schedule", c.beta_schedule);
    read(j, "trained_betas", c.trained_betas, 100000);
    read(j, "prediction_type", c.prediction_type);
    read(j, "interpolation_type", c.interpolation_type);
    read(j, "use_karras_sigmas", c.use_karras_sigmas);
    read(j, "use_exponential_sigmas", c.use_exponential_sigmas);
    read(j, "use_beta_sigmas", c.use_beta_sigmas);
    read(j, "sigma_min", c.sigma_min);
    read(j, "sigma_max", c.sigma_max);
    read(j, "timestep_spacing", c.timestep_spacing);
    read(j, "timestep_type", c.timestep_type);
    read(j, "steps_offset", c.steps_offset, Range{0, 100000});
    read(j, "rescale_betas_zero_snr", c.rescale_betas_zero_snr);
    read(j, "final_sigmas_type", c.final_sigmas_type);
    auto beta_ok = [](double b) { return b > 0 && b < 1; };
    if (c.trained_betas.empty() && (!beta_ok(c.beta_start) || !beta_ok(c.beta_end)))
        bad(j, "beta_start", "beta_start and beta_end between 0 and 1 (exclusive)");
    for (double b : c.trained_betas)
        if (!beta_ok(b)) bad(j, "trained_betas", "values between 0 and 1 (exclusive)");
    if (c.trained_betas.size() == 1) bad(j, "trained_betas", "at least 2 values");
    if ((c.sigma_min && !(*c.sigma_min > 0)) || (c.sigma_max && !(*c.sigma_max > 0)))
        bad(j, "sigma_min", "sigma_min and sigma_max > 0");
    return c;
}

FeatureExtractorConfig parse_feature_extractor_config(const Json& j) {
    FeatureExtractorConfig c;
    if (!j.is_object()) fail(PI_ERR_MODEL, j.origin() + ": expected a JSON object of settings");
    read(j, "image_mean", c.image_mean, 3);
    read(j, "image_std", c.image_std, 3);
    read(j, "do_normalize", c.do_normalize);
    if (c.image_mean.size() != 3 || c.image_std.size() != 3)
        fail(PI_ERR_MODEL, j.origin() + ": image_mean and image_std must have 3 values (RGB)");
    for (double s : c.image_std)
        if (s == 0) bad(j, "image_std", "non-zero values (each channel is divided by its std)");
    return c;
}

}  // namespace pi
