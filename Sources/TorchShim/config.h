// config.h — the configuration of each component, read from its own config file with the
// upstream defaults for absent keys (snake_case names as in the files).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pi {

class Json;

// diffusers UNetSpatioTemporalConditionModel.__init__ defaults (which are SVD's).
struct UNetConfig {
    int sample_size = 96;  // diffusers: None; SVD ships 96 and the pipeline needs a number
    int in_channels = 8, out_channels = 4;
    std::vector<std::string> down_block_types{"CrossAttnDownBlockSpatioTemporal", "CrossAttnDownBlockSpatioTemporal",
                                              "CrossAttnDownBlockSpatioTemporal", "DownBlockSpatioTemporal"};
    std::vector<std::string> up_block_types{"UpBlockSpatioTemporal", "CrossAttnUpBlockSpatioTemporal",
                                            "CrossAttnUpBlockSpatioTemporal", "CrossAttnUpBlockSpatioTemporal"};
    std::vector<int> block_out_channels{320, 640, 1280, 1280};
    int addition_time_embed_dim = 256;
    int projection_class_embeddings_input_dim = 768;
    std::vector<int> layers_per_block;              // per level (int in the file is broadcast)
    std::vector<int> cross_attention_dim;           // per level
    std::vector<int> transformer_layers_per_block;  // per level
    std::vector<int> num_attention_heads;           // per level
    int num_frames = 25;
    bool sample_size_given = false;
};

// diffusers AutoencoderKLTemporalDecoder.__init__ defaults.
struct VaeConfig {
    int in_channels = 3, out_channels = 3;
    std::vector<std::string> down_block_types{"DownEncoderBlock2D"};
    std::vector<int> block_out_channels{64};
    int layers_per_block = 1;
    int latent_channels = 4;
    int sample_size = 32;
    double scaling_factor = 0.18215;
    bool force_upcast = true;
    int scale_factor() const { return 1 << (block_out_channels.size() - 1); }
};

// transformers CLIPVisionConfig defaults.
struct ClipVisionConfig {
    int hidden_size = 768, intermediate_size = 3072, projection_dim = 512;
    int num_hidden_layers = 12, num_attention_heads = 12;
    int num_channels = 3, image_size = 224, patch_size = 32;
    std::string hidden_act = "quick_gelu";
    double layer_norm_eps = 1e-5;
};

// diffusers EulerDiscreteScheduler.__init__ defaults.
struct SchedulerConfig {
    int num_train_timesteps = 1000;
    double beta_start = 0.0001, beta_end = 0.02;
    std::string beta_schedule = "linear";
    std::vector<double> trained_betas;  // empty: none
    std::string prediction_type = "epsilon";
    std::string interpolation_type = "linear";
    bool use_karras_sigmas = false, use_exponential_sigmas = false, use_beta_sigmas = false;
    std::optional<double> sigma_min, sigma_max;
    std::string timestep_spacing = "linspace";
    std::string timestep_type = "discrete";
    int steps_offset = 0;
    bool rescale_betas_zero_snr = false;
    std::string final_sigmas_type = "zero";
};

// transformers CLIPImageProcessor: only normalisation is used by the pipeline.
struct FeatureExtractorConfig {
    std::vector<double> image_mean{0.48145466, 0.4578275, 0.40821073};
    std::vector<double> image_std{0.26862954, 0.26130258, 0.27577711};
    bool do_normalize = true;
};

UNetConfig parse_unet_config(const Json& j);
VaeConfig parse_vae_config(const Json& j);
ClipVisionConfig parse_clip_vision_config(const Json& j);
SchedulerConfig parse_scheduler_config(const Json& j);
FeatureExtractorConfig parse_feature_extractor_config(const Json& j);

}  // namespace pi
