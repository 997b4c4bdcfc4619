#!/usr/bin/env python3
"""Full-size GPU benchmark of the torch shim against diffusers' StableVideoDiffusionPipeline.

Run through scripts/bench-svd-gpu (which builds the shim first). Needs a CUDA PyTorch; diffusers
and transformers importable (e.g. from a wheel folder on PYTHONPATH); no model download: the
model is built with random weights from stabilityai/stable-video-diffusion-img2vid's configs
(written out below), saved in fp16 in the Hugging Face layout, and both pipelines run it on the
same input and seed. Reports: max/mean pixel difference of the uint8 frames, seconds per clip,
peak GPU memory (torch.cuda.max_memory_allocated for diffusers, the CUDA caching allocator's
peak for the shim, measured in its own process), and CLIP / VAE encode / VAE decode times.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

# stabilityai/stable-video-diffusion-img2vid unet/config.json (diffusers' defaults are SVD's;
# img2vid: 14 frames, -xt: 25).
UNET_CONFIG = dict(
    sample_size=96, in_channels=8, out_channels=4,
    down_block_types=["CrossAttnDownBlockSpatioTemporal"] * 3 + ["DownBlockSpatioTemporal"],
    up_block_types=["UpBlockSpatioTemporal"] + ["CrossAttnUpBlockSpatioTemporal"] * 3,
    block_out_channels=[320, 640, 1280, 1280], addition_time_embed_dim=256,
    projection_class_embeddings_input_dim=768, layers_per_block=2, cross_attention_dim=1024,
    transformer_layers_per_block=1, num_attention_heads=[5, 10, 20, 20], num_frames=14,
)
# vae/config.json
VAE_CONFIG = dict(
    in_channels=3, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 4,
    block_out_channels=[128, 256, 512, 512], layers_per_block=2, latent_channels=4,
    sample_size=768, scaling_factor=0.18215, force_upcast=True,
)
# image_encoder/config.json (OpenCLIP ViT-H/14 vision tower with projection)
CLIP_CONFIG = dict(
    hidden_size=1280, intermediate_size=5120, num_hidden_layers=32, num_attention_heads=16,
    image_size=224, patch_size=14, projection_dim=1024, hidden_act="gelu", layer_norm_eps=1e-5,
    num_channels=3,
)
# scheduler/scheduler_config.json
SCHEDULER_CONFIG = dict(
    beta_end=0.012, beta_schedule="scaled_linear", beta_start=0.00085, interpolation_type="linear",
    num_train_timesteps=1000, prediction_type="v_prediction", sigma_max=700.0, sigma_min=0.002,
    steps_offset=1, timestep_spacing="leading", timestep_type="continuous", use_karras_sigmas=True,
)


# --smoke: the whole flow on the CPU in fp32 with tiny configs, to check this script without a GPU.
TINY = dict(
    unet=dict(sample_size=16, down_block_types=["CrossAttnDownBlockSpatioTemporal", "DownBlockSpatioTemporal"],
              up_block_types=["UpBlockSpatioTemporal", "CrossAttnUpBlockSpatioTemporal"], block_out_channels=[64, 64],
              addition_time_embed_dim=16, projection_class_embeddings_input_dim=48, layers_per_block=1,
              cross_attention_dim=32, num_attention_heads=[2, 4], num_frames=3),
    vae=dict(block_out_channels=[32, 32, 32, 64], sample_size=64),
    clip=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2, projection_dim=32),
)
DEVICE, DTYPE = "cuda", torch.float16


def sync():
    if DEVICE == "cuda":
        torch.cuda.synchronize()


def log(*a):
    print(*a, flush=True)


def make_image(w, h):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    r = 127.5 + 127.5 * np.sin(x / 37.0) * np.cos(y / 53.0)
    g = 255.0 * x / (w - 1)
    b = 255.0 * ((x - w * 0.6) ** 2 + (y - h * 0.45) ** 2 < (h * 0.3) ** 2)
    img = np.stack([r, g, b], -1) + np.random.default_rng(5).normal(0, 8, (h, w, 3))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def build_model(out_dir, seed, smoke):
    from diffusers import (AutoencoderKLTemporalDecoder, EulerDiscreteScheduler,
                           StableVideoDiffusionPipeline, UNetSpatioTemporalConditionModel)
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection
    torch.manual_seed(seed)
    t0 = time.time()
    unet_cfg, vae_cfg, clip_cfg = UNET_CONFIG, VAE_CONFIG, CLIP_CONFIG
    if smoke:
        unet_cfg, vae_cfg, clip_cfg = ({**UNET_CONFIG, **TINY["unet"]}, {**VAE_CONFIG, **TINY["vae"]},
                                       {**CLIP_CONFIG, **TINY["clip"]})
    with torch.device(DEVICE):  # default init, on the GPU (fast), then fp16
        unet = UNetSpatioTemporalConditionModel(**unet_cfg).to(DTYPE).eval()
        vae = AutoencoderKLTemporalDecoder(**vae_cfg).to(DTYPE).eval()
        clip = CLIPVisionModelWithProjection(CLIPVisionConfig(**clip_cfg)).to(DTYPE).eval()
    pipe = StableVideoDiffusionPipeline(
        vae=vae, image_encoder=clip, unet=unet, scheduler=EulerDiscreteScheduler(**SCHEDULER_CONFIG),
        feature_extractor=CLIPImageProcessor(crop_size={"height": 224, "width": 224}, size={"shortest_edge": 224}))
    log(f"model built in {time.time() - t0:.1f}s: unet {sum(p.numel() for p in unet.parameters()) / 1e9:.2f}B, "
        f"vae {sum(p.numel() for p in vae.parameters()) / 1e6:.0f}M, clip {sum(p.numel() for p in clip.parameters()) / 1e6:.0f}M params")
    t0 = time.time()
    pipe.save_pretrained(out_dir, safe_serialization=True)
    log(f"saved fp16 model to {out_dir} in {time.time() - t0:.1f}s")
    pipe.set_progress_bar_config(disable=True)
    return pipe


def timed(fn):
    sync()
    if DEVICE == "cuda":
        torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    out = fn()
    sync()
    return out, time.perf_counter() - t0, torch.cuda.max_memory_allocated() if DEVICE == "cuda" else 0


def run_diffusers(pipe, image, args, results):
    import PIL.Image
    pil = PIL.Image.fromarray(image)
    gen_kwargs = dict(height=args.height, width=args.width, num_inference_steps=args.steps,
                      decode_chunk_size=args.decode_chunk or None, output_type="np")
    with torch.no_grad():
        if args.components:
            for rep in range(2):
                sfx = " (warm-up)" if rep == 0 else ""
                _, s, m = timed(lambda: pipe._encode_image(pil, DEVICE, 1, True))
                results.append(dict(side="diffusers", what="clip_encode" + sfx, seconds=s, peak_bytes=m))
                img = torch.rand(1, 3, args.height, args.width, device=DEVICE) * 2 - 1

                def vae_encode():  # as the pipeline does with force_upcast: fp32 encoder
                    pipe.vae.to(torch.float32)
                    z = pipe.vae.encode(img).latent_dist.mode()
                    pipe.vae.to(DTYPE)
                    return z
                _, s, m = timed(vae_encode)
                results.append(dict(side="diffusers", what="vae_encode (incl. fp32 upcast)" + sfx, seconds=s, peak_bytes=m))
                f = args.frames[0]
                sf = pipe.vae_scale_factor
                z = torch.randn(1, f, 4, args.height // sf, args.width // sf,
                                generator=torch.Generator().manual_seed(1)).to(DEVICE, DTYPE)
                chunk = args.decode_chunk or f
                _, s, m = timed(lambda: pipe.decode_latents(z, f, chunk))
                results.append(dict(side="diffusers", what=f"vae_decode_{f}f_chunk{chunk}" + sfx, seconds=s, peak_bytes=m))
            if DEVICE == "cuda":
                torch.cuda.empty_cache()
        _, s, m = timed(lambda: pipe(pil, num_frames=args.frames[0], generator=torch.manual_seed(args.seed),
                                     **{**gen_kwargs, "num_inference_steps": 2}))
        results.append(dict(side="diffusers", what="warmup_2_steps", seconds=s, peak_bytes=m))
        frames = {}
        for f in args.frames:
            if DEVICE == "cuda":
                torch.cuda.empty_cache()
            out, s, m = timed(lambda: pipe(pil, num_frames=f, generator=torch.manual_seed(args.seed), **gen_kwargs).frames)
            results.append(dict(side="diffusers", what=f"generate_{f}f_{args.steps}steps", seconds=s, peak_bytes=m))
            frames[f] = (out[0] * 255).round().astype(np.uint8)
            log(f"diffusers {f} frames: {s:.2f}s, peak {m / 2**30:.2f} GiB")
    return frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", default="14,25", help="comma-separated clip lengths (default 14,25)")
    ap.add_argument("--steps", type=int, default=25)
    ap.add_argument("--width", type=int, default=1024)
    ap.add_argument("--height", type=int, default=576)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--decode-chunk", type=int, default=0, help="frames per VAE decode (0: all)")
    ap.add_argument("--no-components", dest="components", action="store_false")
    ap.add_argument("--skip-diffusers", action="store_true")
    ap.add_argument("--shim-build", default=".build/torch-shim")
    ap.add_argument("--workdir", default=None, help="where to write the model (default: a temp dir, removed)")
    ap.add_argument("--json", default=None, help="also write the results here")
    ap.add_argument("--smoke", action="store_true", help="tiny model, CPU, fp32: checks the script without a GPU")
    args = ap.parse_args()
    args.frames = [int(f) for f in args.frames.split(",")]
    global DEVICE, DTYPE
    if args.smoke:
        DEVICE, DTYPE = "cpu", torch.float32
    else:
        assert torch.cuda.is_available(), "no CUDA GPU visible to this PyTorch"
    log(f"torch {torch.__version__}, {torch.cuda.get_device_name() if DEVICE == 'cuda' else 'cpu (smoke)'}, "
        f"frames {args.frames}, steps {args.steps}, {args.width}x{args.height}, {str(DTYPE).replace('torch.', '')}")

    work = args.workdir or tempfile.mkdtemp(prefix="svd-bench-")
    model_dir = os.path.join(work, "model")
    results = []
    try:
        image = make_image(args.width, args.height)
        image.tofile(os.path.join(work, "input.rgb"))
        pipe = build_model(model_dir, args.seed, args.smoke)
        ref = {}
        if not args.skip_diffusers:
            ref = run_diffusers(pipe, image, args, results)
        del pipe
        if DEVICE == "cuda":
            torch.cuda.empty_cache()

        bench = os.path.join(args.shim_build, "svd_bench")
        cmd = [bench, "--model", model_dir, "--image", os.path.join(work, "input.rgb"), "--iw", str(args.width),
               "--ih", str(args.height), "--width", str(args.width), "--height", str(args.height),
               "--frames", ",".join(map(str, args.frames)), "--steps", str(args.steps),
               "--dtype", "fp16" if DTYPE == torch.float16 else "fp32", "--device", DEVICE, "--seed", str(args.seed), "--decode-chunk", str(args.decode_chunk),
               "--out-prefix", os.path.join(work, "shim_")]
        if args.components:
            cmd.append("--components")
        log("running " + " ".join(cmd))
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        for line in proc.stdout.splitlines():
            if line.startswith("{"):
                r = json.loads(line)
                r["side"] = "shim"
                results.append(r)
                log(f"shim {r['what']}: {r['seconds']:.2f}s, peak {r['peak_bytes'] / 2**30:.2f} GiB")
        if proc.returncode != 0:
            raise SystemExit(f"svd_bench failed with exit code {proc.returncode}")

        for f in args.frames:
            ours = np.fromfile(os.path.join(work, f"shim_{f}.u8"), dtype=np.uint8).reshape(f, args.height, args.width, 3)
            if f in ref:
                d = np.abs(ours.astype(np.int16) - ref[f].astype(np.int16))
                results.append(dict(side="compare", what=f"frames_{f}", max_pixel_diff=int(d.max()),
                                    mean_pixel_diff=float(d.mean()), frac_over_8=float((d > 8).mean()),
                                    shim_nan_free=bool(np.isfinite(ours).all())))
        log("\n| side | what | seconds | peak GiB | notes |\n|---|---|---|---|---|")
        for r in results:
            if r["side"] == "compare":
                log(f"| compare | {r['what']} | | | max pixel diff {r['max_pixel_diff']}, mean {r['mean_pixel_diff']:.3f}, "
                    f">8: {100 * r['frac_over_8']:.2f}% |")
            else:
                log(f"| {r['side']} | {r['what']} | {r['seconds']:.2f} | {r['peak_bytes'] / 2**30:.2f} | |")
        if args.json:
            with open(args.json, "w") as fh:
                json.dump(results, fh, indent=1)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
