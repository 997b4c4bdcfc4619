#!/usr/bin/env python3
"""Build the tiny random-weight SVD fixture that the torch shim's tests compare against.

Run from the repository root (needs torch, diffusers, transformers, safetensors, pillow):

    .venv/bin/python scripts/make-svd-fixture.py [--out Tests/Fixtures/svd-tiny]

What it writes (all under --out):
  model/            a Stable Video Diffusion folder in the Hugging Face layout
                    (model_index.json, unet/, vae/, image_encoder/, scheduler/, feature_extractor/).
                    unet and vae weights are stored as F16, image_encoder as F32 plus a
                    model.fp16.safetensors variant. All weights are rounded to fp16-representable
                    values first, so the F16 files are lossless and fp32 parity is exact.
  input.png         the input image (96x64 RGB) for people; the same pixels are in expected.safetensors.
  expected.safetensors  what diffusers computes (fp32, CPU), see RUNS below; keys documented in README.md.
  README.md         versions of torch/diffusers/transformers used, and the key list.

Two traps avoided: the UNet's channel width is 64 with GroupNorm(32) so each group has two
channels (one channel per group would cancel the per-channel time embedding), and every
module is put in eval mode (from_pretrained does that; we assert it).
"""

import argparse
import json
import os
import shutil
import sys

import numpy as np
import PIL.Image
import torch
from safetensors.torch import load_file, save_file

import diffusers
import transformers
from diffusers import (
    AutoencoderKLTemporalDecoder,
    EulerDiscreteScheduler,
    StableVideoDiffusionPipeline,
    UNetSpatioTemporalConditionModel,
)
from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection

WIDTH, HEIGHT = 96, 64

UNET_CONFIG = dict(
    sample_size=16,
    in_channels=8,
    out_channels=4,
    down_block_types=("CrossAttnDownBlockSpatioTemporal", "DownBlockSpatioTemporal"),
    up_block_types=("UpBlockSpatioTemporal", "CrossAttnUpBlockSpatioTemporal"),
    block_out_channels=(64, 64),
    addition_time_embed_dim=16,
    projection_class_embeddings_input_dim=48,
    layers_per_block=1,
    cross_attention_dim=32,
    num_attention_heads=(2, 4),
    num_frames=3,
)

VAE_CONFIG = dict(
    in_channels=3,
    out_channels=3,
    down_block_types=("DownEncoderBlock2D",) * 3,
    block_out_channels=(32, 32, 64),
    layers_per_block=2,
    latent_channels=4,
    sample_size=64,
    scaling_factor=0.18215,
    force_upcast=True,
)

CLIP_CONFIG = dict(
    hidden_size=32,
    intermediate_size=64,
    num_hidden_layers=2,
    num_attention_heads=2,
    image_size=224,
    patch_size=14,
    projection_dim=32,
    hidden_act="gelu",
    layer_norm_eps=1e-5,
)

# As in stabilityai/stable-video-diffusion-img2vid scheduler/scheduler_config.json.
SCHEDULER_CONFIG = dict(
    beta_end=0.012,
    beta_schedule="scaled_linear",
    beta_start=0.00085,
    clip_sample=False,
    interpolation_type="linear",
    num_train_timesteps=1000,
    prediction_type="v_prediction",
    set_alpha_to_one=False,
    sigma_max=700.0,
    sigma_min=0.002,
    skip_prk_steps=True,
    steps_offset=1,
    timestep_spacing="leading",
    timestep_type="continuous",
    trained_betas=None,
    use_karras_sigmas=True,
)

FEATURE_EXTRACTOR_CONFIG = {
    "crop_size": {"height": 224, "width": 224},
    "do_center_crop": True,
    "do_convert_rgb": True,
    "do_normalize": True,
    "do_rescale": True,
    "do_resize": True,
    "feature_extractor_type": "CLIPFeatureExtractor",
    "image_mean": [0.48145466, 0.4578275, 0.40821073],
    "image_processor_type": "CLIPImageProcessor",
    "image_std": [0.26862954, 0.26130258, 0.27577711],
    "resample": 3,
    "rescale_factor": 0.00392156862745098,
    "size": {"shortest_edge": 224},
}

# Generation runs recorded in expected.safetensors, prefix -> parameters.
RUNS = {
    # seeded: noise for augmentation then latents from torch.manual_seed(seed); chunked decode 2+1.
    "seed": dict(seed=42, num_frames=None, steps=3, fps=7, motion_bucket_id=127, noise_aug_strength=0.02,
                 min_guidance_scale=1.0, max_guidance_scale=3.0, decode_chunk_size=2, latents=False),
    # explicit latents (still seeded for the augmentation noise), 4 frames, other conditioning.
    "latents": dict(seed=7, num_frames=4, steps=2, fps=6, motion_bucket_id=60, noise_aug_strength=0.1,
                    min_guidance_scale=1.2, max_guidance_scale=2.5, decode_chunk_size=None, latents=True),
    # max guidance 1.0: no classifier-free guidance (batch of one through the UNet).
    "nocfg": dict(seed=3, num_frames=2, steps=2, fps=7, motion_bucket_id=127, noise_aug_strength=0.02,
                  min_guidance_scale=1.0, max_guidance_scale=1.0, decode_chunk_size=1, latents=False),
    # a 50x37 input: CLIP sees it as is (upscaled to 224), the VAE gets PIL's Lanczos resize to 96x64.
    "resize": dict(seed=5, num_frames=2, steps=1, fps=7, motion_bucket_id=127, noise_aug_strength=0.02,
                   min_guidance_scale=1.0, max_guidance_scale=3.0, decode_chunk_size=None, latents=False,
                   small_input=True),
}


def randomize(module: torch.nn.Module, gen: torch.Generator) -> None:
    """Perturb every parameter so nothing sits at its trivial init (norm weight 1, bias 0,
    mix_factor 0.5), then round to fp16-representable values so F16 storage is lossless."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            noise = torch.randn(p.shape, generator=gen)
            if name.endswith("mix_factor"):
                p.copy_(noise)
            elif p.ndim == 1:
                # norm weights/biases, linear/conv biases, class embedding
                base = 1.0 if (name.endswith("weight") and ("norm" in name)) else 0.0
                p.copy_(base + 0.1 * noise)
            else:
                p.add_(0.05 * p.std() * noise)
            p.copy_(p.half().float())


def make_input_image(width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    y, x = np.mgrid[0:height, 0:width].astype(np.float32) * (WIDTH / width)
    r = 127.5 + 127.5 * np.sin(x / 9.0) * np.cos(y / 13.0)
    g = 255.0 * x / (WIDTH - 1)
    b = 255.0 * ((x - 48) ** 2 + (y - 30) ** 2 < 20 ** 2)
    rng = np.random.default_rng(5)
    img = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, (height, width, 3))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def to_f16_file(path: str) -> None:
    tensors = load_file(path)
    save_file({k: v.half().contiguous() for k, v in tensors.items()}, path, metadata={"format": "pt"})


def build_model(model_dir: str) -> None:
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1234)
    unet = UNetSpatioTemporalConditionModel(**UNET_CONFIG)
    vae = AutoencoderKLTemporalDecoder(**VAE_CONFIG)
    clip = CLIPVisionModelWithProjection(CLIPVisionConfig(**CLIP_CONFIG))
    for m in (unet, vae, clip):
        randomize(m, gen)
    scheduler = EulerDiscreteScheduler(**{k: v for k, v in SCHEDULER_CONFIG.items()
                                          if k not in ("clip_sample", "set_alpha_to_one", "skip_prk_steps")})
    fe = CLIPImageProcessor(**{k: v for k, v in FEATURE_EXTRACTOR_CONFIG.items()
                               if k not in ("feature_extractor_type", "image_processor_type")})
    pipe = StableVideoDiffusionPipeline(vae=vae, image_encoder=clip, unet=unet, scheduler=scheduler,
                                        feature_extractor=fe)
    pipe.save_pretrained(model_dir, safe_serialization=True)
    # Scheduler and feature extractor configs exactly as published (extra keys included).
    with open(os.path.join(model_dir, "scheduler", "scheduler_config.json")) as f:
        sc = json.load(f)
    sc.update(SCHEDULER_CONFIG)
    with open(os.path.join(model_dir, "scheduler", "scheduler_config.json"), "w") as f:
        json.dump(sc, f, indent=2, sort_keys=True)
    with open(os.path.join(model_dir, "feature_extractor", "preprocessor_config.json"), "w") as f:
        json.dump(FEATURE_EXTRACTOR_CONFIG, f, indent=2, sort_keys=True)
    to_f16_file(os.path.join(model_dir, "unet", "diffusion_pytorch_model.safetensors"))
    to_f16_file(os.path.join(model_dir, "vae", "diffusion_pytorch_model.safetensors"))
    enc = os.path.join(model_dir, "image_encoder")
    shutil.copy(os.path.join(enc, "model.safetensors"), os.path.join(enc, "model.fp16.safetensors"))
    to_f16_file(os.path.join(enc, "model.fp16.safetensors"))


class Recorder:
    """Hooks on the loaded pipeline that capture what diffusers computes, per run."""

    def __init__(self, pipe: StableVideoDiffusionPipeline):
        self.out = {}
        self.prefix = ""
        self.step = 0
        pipe.image_encoder.register_forward_hook(self._clip_hook)
        vae = pipe.vae
        orig_encode = vae.encode
        rec = self

        def encode(x, *a, **k):
            r = orig_encode(x, *a, **k)
            if rec.prefix == "seed.":
                rec.put("vae_input", x)
            rec.put("image_latents", r.latent_dist.mode())
            return r

        vae.encode = encode
        sched = pipe.scheduler
        orig_step = sched.step

        def step(model_output, timestep, sample, *a, **k):
            r = orig_step(model_output, timestep, sample, *a, **k)
            rec.put(f"step{rec.step}_t", torch.as_tensor(timestep).reshape(1))
            rec.put(f"step{rec.step}_noise_pred", model_output)
            rec.put(f"step{rec.step}_latents", r.prev_sample)
            rec.step += 1
            return r

        sched.step = step
        pipe.unet.register_forward_hook(self._unet_hook, with_kwargs=True)

    def put(self, key, t):
        self.out[self.prefix + key] = t.detach().float().cpu().contiguous().clone()

    def _clip_hook(self, module, args, output):
        if self.prefix == "seed.":  # the same image every run: stored once
            self.put("clip_pixel_values", args[0])
        self.put("image_embeds", output.image_embeds)

    def _unet_hook(self, module, args, kwargs, output):
        self.put(f"step{self.step}_unet_out", output[0])
        if self.step == 0:  # later inputs follow from the recorded latents
            self.put("step0_unet_in", args[0])
            self.put("added_time_ids", kwargs["added_time_ids"])
            self.put("encoder_hidden_states", kwargs["encoder_hidden_states"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="Tests/Fixtures/svd-tiny")
    args = ap.parse_args()
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))

    out = args.out
    model_dir = os.path.join(out, "model")
    if os.path.exists(model_dir):
        shutil.rmtree(model_dir)
    os.makedirs(out, exist_ok=True)
    build_model(model_dir)

    pipe = StableVideoDiffusionPipeline.from_pretrained(model_dir, torch_dtype=torch.float32)
    pipe.set_progress_bar_config(disable=True)
    for name in ("unet", "vae", "image_encoder"):
        m = getattr(pipe, name)
        assert not m.training, f"{name} is in train mode"
        assert next(m.parameters()).dtype == torch.float32
    rec = Recorder(pipe)

    rgb = make_input_image()
    PIL.Image.fromarray(rgb).save(os.path.join(out, "input.png"))
    image = PIL.Image.open(os.path.join(out, "input.png")).convert("RGB")
    assert np.array_equal(np.array(image), rgb)
    rec.out["input_rgb"] = torch.from_numpy(rgb.copy())
    small_rgb = make_input_image(50, 37)
    small = PIL.Image.fromarray(small_rgb)
    rec.out["resize.input_rgb"] = torch.from_numpy(small_rgb.copy())
    rec.out["resize.pil_lanczos"] = torch.from_numpy(
        np.array(small.resize((WIDTH, HEIGHT), resample=PIL.Image.LANCZOS)))

    for prefix, r in RUNS.items():
        rec.prefix, rec.step = prefix + ".", 0
        nf = r["num_frames"] or UNET_CONFIG["num_frames"]
        latents = None
        if r["latents"]:
            g = torch.Generator().manual_seed(99)
            latents = torch.randn((1, nf, 4, HEIGHT // 4, WIDTH // 4), generator=g)
            rec.put("given_latents", latents)
        frames = pipe(small if r.get("small_input") else image, height=HEIGHT, width=WIDTH, num_frames=r["num_frames"],
                      num_inference_steps=r["steps"], fps=r["fps"], motion_bucket_id=r["motion_bucket_id"],
                      noise_aug_strength=r["noise_aug_strength"], min_guidance_scale=r["min_guidance_scale"],
                      max_guidance_scale=r["max_guidance_scale"], decode_chunk_size=r["decode_chunk_size"],
                      generator=torch.manual_seed(r["seed"]), latents=latents, output_type="np").frames
        rec.out[prefix + ".frames"] = torch.from_numpy(np.ascontiguousarray(frames[0]))  # (F, H, W, 3) in [0,1]
        rec.out[prefix + ".sigmas"] = pipe.scheduler.sigmas.float().clone()
        rec.out[prefix + ".timesteps"] = pipe.scheduler.timesteps.float().clone()

    # A standalone VAE decode of given latents (3 frames at once).
    with torch.no_grad():
        g = torch.Generator().manual_seed(11)
        z = torch.randn((3, 4, HEIGHT // 4, WIDTH // 4), generator=g)
        rec.out["vae_decode.latents"] = z
        rec.out["vae_decode.frames"] = pipe.vae.decode(z, num_frames=3).sample.float().contiguous()

    meta = {"runs": json.dumps(RUNS), "width": str(WIDTH), "height": str(HEIGHT)}
    save_file({k: v.contiguous() for k, v in sorted(rec.out.items())},
              os.path.join(out, "expected.safetensors"), metadata=meta)

    total = 0
    for root, _, files in os.walk(out):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(README.format(torch=torch.__version__, diffusers=diffusers.__version__,
                              transformers=transformers.__version__, numpy=np.__version__,
                              pillow=PIL.__version__, python=sys.version.split()[0],
                              runs=json.dumps(RUNS, indent=2),
                              keys="\n".join(f"- `{k}` {list(v.shape)} {str(v.dtype).replace('torch.', '')}"
                                             for k, v in sorted(rec.out.items()))))
    print(f"wrote {out} ({total / 1e6:.1f} MB before README)")


README = """# svd-tiny — parity fixture for the torch shim

Made by `scripts/make-svd-fixture.py` (re-run it to regenerate; the output is deterministic
for the same versions). A tiny Stable Video Diffusion pipeline with seeded random weights,
saved in the Hugging Face layout under `model/`, and what diffusers computes from `input.png`
(96x64) on CPU in fp32, in `expected.safetensors`.

Made with: python {python}, torch {torch}, diffusers {diffusers}, transformers {transformers},
numpy {numpy}, pillow {pillow}.

- `model/unet`, `model/vae`: weights stored as F16 (the values are fp16-representable, so loading
  them into fp32 is exact); `model/image_encoder`: F32 `model.safetensors` plus an F16
  `model.fp16.safetensors` variant with the same values.
- UNet: 2 levels of 64 channels (GroupNorm 32 -> 2 channels per group), heads (2, 4),
  cross-attention dim 32, 3 frames by default. VAE: 3 levels (32, 32, 64), 2 layers per block,
  so the latent is 1/4 of the image and the decoder's mid-block attention is used.
  CLIP: hidden 32, 2 layers, 2 heads, patch 14 at 224, projection 32, gelu.
- The scheduler config is the one published with stable-video-diffusion-img2vid.

Runs (prefix -> pipeline arguments; generator = torch.manual_seed(seed)):

```
{runs}
```

Keys (stepN_* are per denoising step: step0_unet_in is the UNet input of the whole CFG batch,
unet_out its raw output, noise_pred the guided prediction, latents the scheduler's result;
vae_input is the augmented image the VAE encodes; frames are output_type="np" floats, whose
uint8 form is round(frames * 255)):

{keys}
"""

if __name__ == "__main__":
    main()
