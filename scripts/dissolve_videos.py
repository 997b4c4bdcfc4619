#!/usr/bin/env python3
"""Generated static-picture videos with known hard cuts and gradual transitions (ffmpeg's xfade),
and their truth: for every boundary its kind and blended frames, read back from a lossless
render of the same graph (a frame is blended when it equals neither picture beside it)."""
import json, subprocess, sys

PICTURES = ["testsrc2", "smptebars", "mandelbrot", "rgbtestsrc", "testsrc", "smptehdbars", "yuvtestsrc", "cellauto",
            "life", "testsrc2", "mandelbrot", "smptebars"]
HUES = [0, 40, 200, 90, 300, 150, 20, 250, 60, 180, 320, 110]


def graph(scenes, size, rate):
    """scenes: [(seconds, transition_into_next or None)], transition = ('cut'|'fade'|'fadeblack'|..., seconds)."""
    w, h = size
    parts = []
    for k, (sec, _) in enumerate(scenes):
        frames = int(round(sec * rate))
        src = PICTURES[k % len(PICTURES)]
        parts.append(f"{src}=s={w}x{h}:r={rate},trim=end_frame=1,loop=loop={frames - 1}:size=1,setpts=N/{rate}/TB,"
                     f"hue=h={HUES[k % len(HUES)]},format=yuv420p,setsar=1[p{k}]")
    chain, cur, length = [], "p0", scenes[0][0]
    for k in range(1, len(scenes)):
        kind, d = scenes[k - 1][1] or ("cut", 0)
        out = f"x{k}"
        if kind == "cut":
            chain.append(f"[{cur}][p{k}]concat=n=2:v=1:a=0,settb=1/{rate}[{out}]")
            length += scenes[k][0]
        else:
            chain.append(f"[{cur}][p{k}]xfade=transition={kind}:duration={d}:offset={length - d}[{out}]")
            length += scenes[k][0] - d
        cur = out
    return ";".join(parts + chain) + f";[{cur}]null[v]" if chain else ";".join(parts) + ";[p0]null[v]"


def truth(g, size, rate):
    """Per frame, a tiny RGB thumbnail of the lossless render."""
    w, h = 32, 18
    raw = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-filter_complex", g + f";[v]scale={w}:{h}:flags=area,format=rgb24[t]",
                          "-map", "[t]", "-f", "rawvideo", "-"], check=True, capture_output=True).stdout
    n = w * h * 3
    return [raw[i * n:(i + 1) * n] for i in range(len(raw) // n)]


def boundaries(frames, scenes, rate):
    """Each boundary's kind and blended frames [first, last], from the lossless frames."""
    def same(a, b):
        return a == b
    out, start = [], 0
    for k in range(len(scenes) - 1):
        sec, (kind, d) = scenes[k][0], scenes[k][1] or ("cut", 0)
        # The pictures: the frame well inside each scene.
        stop = start + int(round((sec - (d if kind != "cut" else 0)) * rate))
        a = frames[start + 2]
        b_at = stop + int(round(d * rate)) + 2 if kind != "cut" else stop + 2
        b = frames[b_at]
        if kind == "cut":
            cut = next(i for i in range(start, len(frames)) if same(frames[i], b))
            out.append({"kind": "cut", "first": cut, "last": cut - 1, "cut": cut})
            start = cut
        else:
            blended = [i for i in range(start, b_at) if not same(frames[i], a) and not same(frames[i], b)]
            out.append({"kind": "fade" if kind == "fadeblack" else "dissolve", "first": blended[0], "last": blended[-1]})
            start = blended[-1] + 1
    return out


def make(path, scenes, size=(640, 360), rate=25, crf=23):
    g = graph(scenes, size, rate)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-nostdin", "-filter_complex", g, "-map", "[v]", "-c:v", "libx264",
                    "-preset", "veryfast", "-crf", str(crf), "-pix_fmt", "yuv420p", "-r", str(rate), path], check=True)
    frames = truth(g, size, rate)
    return {"path": path, "frames": len(frames), "boundaries": boundaries(frames, scenes, rate)}


if __name__ == "__main__":
    spec = json.loads(sys.argv[2])
    print(json.dumps(make(sys.argv[1], [(s[0], tuple(s[1]) if s[1] else None) for s in spec["scenes"]],
                          tuple(spec.get("size", [640, 360])), spec.get("rate", 25), spec.get("crf", 23))))
