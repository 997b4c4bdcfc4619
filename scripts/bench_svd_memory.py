#!/usr/bin/env python3
"""Peak host memory of load + generate at full size, on the CPU in fp32: the torch shim
(svd_bench) beside diffusers' StableVideoDiffusionPipeline, each in its own process, measured as
the process's peak resident set (/usr/bin/time's maximum RSS, which counts mapped weight-file
pages as well as allocations). The model: random weights in the real SVD-XT configs (those of
scripts/bench_svd_gpu.py, 25 frames), saved as the fp16 variant files (about 4.5 GB) and loaded
with variant "fp16", dtype fp32 -- what a CPU user of the downloaded SVD-XT folder does.

Also checks that both give the same frames (max |difference| of the uint8 frames).
Run by scripts/bench-svd-memory; see there for the options.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def log(*a):
    print(*a, flush=True)


BUILD = r"""
import json, os, sys, torch
sys.path.insert(0, {here!r})
import bench_svd_gpu as b
from diffusers import AutoencoderKLTemporalDecoder, EulerDiscreteScheduler, UNetSpatioTemporalConditionModel
from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection
out = {out!r}
torch.manual_seed(42)
# One component at a time (built in fp32 on the CPU, saved as fp16), so building needs ~9 GB.
for name, make in [("unet", lambda: UNetSpatioTemporalConditionModel(**{{**b.UNET_CONFIG, "num_frames": 25}})),
                   ("vae", lambda: AutoencoderKLTemporalDecoder(**b.VAE_CONFIG)),
                   ("image_encoder", lambda: CLIPVisionModelWithProjection(CLIPVisionConfig(**b.CLIP_CONFIG)))]:
    m = make().to(torch.float16).eval()
    m.save_pretrained(os.path.join(out, name), variant="fp16", safe_serialization=True)
    print(name, sum(p.numel() for p in m.parameters()), "parameters", flush=True)
    del m
EulerDiscreteScheduler(**b.SCHEDULER_CONFIG).save_pretrained(os.path.join(out, "scheduler"))
CLIPImageProcessor(crop_size={{"height": 224, "width": 224}}, size={{"shortest_edge": 224}}).save_pretrained(os.path.join(out, "feature_extractor"))
with open(os.path.join(out, "model_index.json"), "w") as f:
    json.dump({{"_class_name": "StableVideoDiffusionPipeline", "_diffusers_version": "0.42.1",
               "feature_extractor": ["transformers", "CLIPImageProcessor"],
               "image_encoder": ["transformers", "CLIPVisionModelWithProjection"],
               "scheduler": ["diffusers", "EulerDiscreteScheduler"],
               "unet": ["diffusers", "UNetSpatioTemporalConditionModel"],
               "vae": ["diffusers", "AutoencoderKLTemporalDecoder"]}}, f, indent=2)
"""

DIFFUSERS = r"""
import numpy as np, torch, time
from PIL import Image
from diffusers import StableVideoDiffusionPipeline
a = {args!r}
t0 = time.time()
pipe = StableVideoDiffusionPipeline.from_pretrained(a["model"], variant="fp16", torch_dtype=torch.float32)
pipe.set_progress_bar_config(disable=True)
t1 = time.time()
rgb = np.fromfile(a["image"], dtype=np.uint8).reshape(a["height"], a["width"], 3)
with torch.inference_mode():
    frames = pipe(Image.fromarray(rgb), height=a["height"], width=a["width"], num_frames=a["frames"],
                  num_inference_steps=a["steps"], decode_chunk_size=a["frames"],
                  generator=torch.manual_seed(a["seed"]), output_type="np").frames[0]
t2 = time.time()
(np.asarray(frames) * 255).round().clip(0, 255).astype(np.uint8).tofile(a["out"])
print("load_seconds", t1 - t0, "generate_seconds", t2 - t1, flush=True)
"""


def peak_rss(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (peak RSS bytes, seconds, stdout)."""
    t0 = time.time()
    p = subprocess.run(["/usr/bin/time", "-f", "PEAK_RSS_KB %M"] + cmd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, env=env)
    secs = time.time() - t0
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit(f"bench-svd-memory: {cmd[0]} failed with exit {p.returncode}")
    kb = [int(l.split()[1]) for l in p.stderr.splitlines() if l.startswith("PEAK_RSS_KB")][-1]
    return kb * 1024, secs, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--height", type=int, default=320)
    ap.add_argument("--frames", type=int, default=2)
    ap.add_argument("--steps", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--shim-build", default=".build/torch-shim")
    ap.add_argument("--workdir", default=None, help="keeps the model here (built once, reused)")
    ap.add_argument("--skip-diffusers", action="store_true")
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()

    import numpy as np
    sys.path.insert(0, HERE)
    from bench_svd_gpu import make_image

    work = args.workdir or tempfile.mkdtemp(prefix="svd-memory-")
    model = os.path.join(work, "model")
    if not os.path.exists(os.path.join(model, "model_index.json")):
        log(f"building the random-weight SVD-XT model (fp16 variant files) in {model} ...")
        t0 = time.time()
        subprocess.run([args.python, "-c", BUILD.format(here=HERE, out=model)], check=True)
        log(f"built in {time.time() - t0:.0f}s")
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(model) for f in fs if f.endswith(".safetensors"))
    log(f"model: {size / 1e9:.2f} GB of fp16 weight files")

    image = os.path.join(work, "input.rgb")
    make_image(args.width, args.height).tofile(image)
    common = dict(model=model, image=image, width=args.width, height=args.height, frames=args.frames,
                  steps=args.steps, seed=args.seed)
    rows = []
    if not args.skip_diffusers:
        d_out = os.path.join(work, "diffusers.u8")
        peak, secs, out = peak_rss([args.python, "-c", DIFFUSERS.format(args={**common, "out": d_out})])
        rows.append(("diffusers", peak, secs, out.strip()))
        log(f"diffusers: peak RSS {peak / 2**30:.2f} GiB, {secs:.0f}s ({out.strip()})")
    s_prefix = os.path.join(work, "shim_")
    cmd = [os.path.join(args.shim_build, "svd_bench"), "--model", model, "--variant", "fp16", "--image", image,
           "--iw", str(args.width), "--ih", str(args.height), "--width", str(args.width), "--height", str(args.height),
           "--frames", str(args.frames), "--steps", str(args.steps), "--dtype", "fp32", "--device", "cpu",
           "--seed", str(args.seed), "--no-warmup", "--out-prefix", s_prefix]
    peak, secs, out = peak_rss(cmd)
    times = {json.loads(l)["what"]: json.loads(l)["seconds"] for l in out.splitlines() if l.startswith("{")}
    rows.append(("shim", peak, secs, " ".join(f"{k} {v:.1f}s" for k, v in times.items())))
    log(f"shim: peak RSS {peak / 2**30:.2f} GiB, {secs:.0f}s ({rows[-1][3]})")

    log(f"\n| side | peak RSS GiB (load + generate) | wall s | notes |\n|---|---|---|---|")
    for side, p, s, note in rows:
        log(f"| {side} | {p / 2**30:.2f} | {s:.0f} | {note} |")
    if not args.skip_diffusers:
        a = np.fromfile(d_out, dtype=np.uint8)
        b = np.fromfile(s_prefix + str(args.frames) + ".u8", dtype=np.uint8)
        if a.shape != b.shape:
            log(f"frames: sizes differ ({a.size} vs {b.size} bytes)")
        else:
            d = np.abs(a.astype(np.int16) - b.astype(np.int16))
            log(f"frames ({args.frames} at {args.width}x{args.height}, {args.steps} steps): max |diff| {d.max()}, "
                f"{(d > 0).mean() * 100:.3f}% of values differ")
        log(f"shim peak - diffusers peak: {(rows[1][1] - rows[0][1]) / 2**30:+.2f} GiB")


if __name__ == "__main__":
    main()
