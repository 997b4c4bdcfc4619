#!/usr/bin/env python3
"""scripts/bench-dissolves' work: generated videos with known hard cuts, dissolves and fades
(truth from a lossless render, scripts/dissolve_videos.py), detected in both modes by BIN;
per boundary the kind and span found vs true, each still's distance from the nearest blended
frame, detection time in both modes, and the output's spans after the timeline reproduces them."""
import json, os, re, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dissolve_videos as dv

BIN, DIR = (sys.argv[1], sys.argv[2]) if len(sys.argv) > 2 else ("", "")
REPEAT = int(os.environ.get("REPEAT", "1"))
ENV = dict(os.environ, PODCAST_I2V_NO_PROGRESS="1")

DETECT_LUA = r"""
local v = open(arg[1])
local scenes = detect(v, {transitions = arg[2] == "on"})
for _, s in ipairs(scenes) do
  local t = s.transition_in
  print(("scene %d %d %d %s %s %s %s"):format(s.index, s.start_frame, s.stop_frame, tostring(s.still_frame),
    t and t.kind or "-", t and t.first or "-", t and t.last or "-"))
end
"""

# The timeline reproduces the source's transitions: composed stills of each scene (no motion, so
# the output's blends are the timeline's alone), joined by them, detected again.
REPRODUCE_LUA = r"""
local v = open(arg[1])
local scenes = detect(v, {transitions = true})
local parts, joins = {}, {}
for k, s in ipairs(scenes) do
  parts[k] = compose(pad(still(s.picture, s.duration, {fps = v.fps}), s.duration), s, {source = v})
  if k > 1 then joins[k - 1] = s.transition_in end
end
mux(concat(parts, {transitions = joins}), nil, arg[2], {preset = 'veryfast'})
-- Measured at PySceneDetect's own default threshold (27): the re-encoded output's pictures are
-- the stills, a little further from each other's colours than the source's.
local again = detect(open(arg[2]), {transitions = true, threshold = 27, layout = false})
for k = 2, #scenes do local t = scenes[k].transition_in; print(("source %s %d %d %d"):format(t.kind, t.frame, t.first, t.last)) end
for k = 2, #again do local t = again[k].transition_in; print(("output %s %d %d %d"):format(t.kind, t.frame, t.first, t.last)) end
"""


def lua(script, *args):
    path = os.path.join(DIR, "bench-%d.lua" % abs(hash(script)))
    with open(path, "w") as f:
        f.write(script)
    t0 = time.time()
    r = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", BIN, "run", path, *args], capture_output=True, text=True, env=ENV)
    wall = time.time() - t0
    if r.returncode != 0:
        sys.exit(r.stderr)
    user, sys_, rss = r.stderr.strip().splitlines()[-1].split()
    return r.stdout, wall, float(user) + float(sys_), int(rss) // 1024


def detect(path, mode):
    best = None
    for _ in range(REPEAT):
        out, wall, cpu, rss = lua(DETECT_LUA, path, mode)
        if best is None or cpu < best[2]:
            best = (out, wall, cpu, rss)
    scenes = []
    for line in best[0].splitlines():
        p = line.split()
        if p[0] == "scene":
            scenes.append({"start": int(p[2]), "stop": int(p[3]), "still": None if p[4] == "nil" else int(p[4]),
                           "kind": p[5], "first": None if p[6] == "-" else int(p[6]), "last": None if p[7] == "-" else int(p[7])})
    return scenes, best[1], best[2], best[3]


def report(name, video, scenes_spec):
    print(f"\n== {name}: {video['frames']} frames; truth from a lossless render ==")
    truth = video["boundaries"]
    on, won, con, ron = detect(video["path"], "on")
    off, woff, coff, roff = detect(video["path"], "off")
    blended = [range(b["first"], b["last"] + 1) for b in truth if b["kind"] != "cut"]
    print(f"{'join':>4} {'true':>9} {'span':>9} | {'transitions':>11} {'span':>9} {'Δfirst':>6} {'Δlast':>5} | default (PySceneDetect) mode")
    ok = True
    for k, b in enumerate(truth):
        span = f"{b['first']}-{b['last']}" if b["kind"] != "cut" else f"@{b['first']}"
        lo, hi = (b["first"], b["last"] + 1) if b["kind"] != "cut" else (b["first"], b["first"])
        # The scene boundary the transition mode put here: the one whose span or cut meets the truth.
        match = [s for s in on[1:] if (s["first"] is not None and s["first"] <= hi + 2 and s["last"] >= lo - 3)
                 or s["start"] == b["first"]]
        if match:
            s = match[0]
            if s["kind"] == "cut":
                found, d1, d2 = f"@{s['start']}", s["start"] - b["first"], s["start"] - b["first"]
            else:
                found, d1, d2 = f"{s['first']}-{s['last']}", s["first"] - b["first"], s["last"] - b["last"]
            kind = s["kind"]
        else:
            found, d1, d2, kind = "-", "", "", "missed"
        good = kind == b["kind"] and (d1 == 0 if b["kind"] == "cut" else abs(d1) <= 2 and abs(d2) <= 2)
        ok &= good
        plain = [s["start"] for s in off[1:] if lo - 8 <= s["start"] <= hi + 8]
        if not plain:
            pl = "missed (no cut)"
        elif b["kind"] == "cut":
            pl = f"hard cut @{plain[0]}" + (" (exact)" if plain[0] == b["first"] else "")
        else:
            where = " inside it" if lo <= plain[0] < hi else " at its end (the first unblended frame)" if plain[0] == hi else " beside it"
            pl = f"hard cut @{plain[0]}" + where
        print(f"{k + 1:>4} {b['kind']:>9} {span:>9} | {kind:>11} {found:>9} {str(d1):>6} {str(d2):>5} | {pl}")
    extra = len(on) - 1 - len(truth)
    dists = []
    for s in on:
        d = min([abs(s["still"] - f) for r in blended for f in r] or [10**9])
        dists.append(d)
    from_blended = sum(1 for d in dists if d == 0)
    print(f"scenes found: transitions {len(on)} (true {len(truth) + 1}), default {len(off)}; extra boundaries {max(0, extra)}")
    print(f"stills: distance from the nearest blended frame (frames): min {min(dists)}, per scene {dists}; from a blended frame: {from_blended}")
    dflt_blended = sum(1 for s in off if s["still"] is not None and any(s["still"] in r for r in blended))
    print(f"default mode: {dflt_blended} of {len(off)} stills are blended frames")
    print(f"detect: transitions {won:.2f} s wall, {con:.2f} s CPU, {ron} MB; default {woff:.2f} s wall, {coff:.2f} s CPU, {roff} MB;"
          f" CPU cost of the mode {100 * (con / coff - 1):+.1f} %")
    print("target (every hard cut exact, every gradual one within 2 frames, no still blended):", "met" if ok and from_blended == 0 and extra <= 0 else "NOT met")
    return ok


def reproduce(video):
    out = os.path.join(DIR, "reproduced.mp4")
    text, wall, cpu, rss = lua(REPRODUCE_LUA, video["path"], out)
    print("\n== the timeline reproduces them: composed stills joined by each scene's transition_in, detected again ==")
    src = [l.split()[1:] for l in text.splitlines() if l.startswith("source ")]
    dst = [l.split()[1:] for l in text.splitlines() if l.startswith("output ")]
    print(f"{'join':>4} {'source':>18} {'output':>18} {'Δfirst':>6} {'Δlast':>5}")
    worst, exact_cuts, missing = 0, True, 0
    for k, (kind, cut, first, last) in enumerate(src):
        near = [d for d in dst if abs(int(d[1]) - int(cut)) <= 3 or (int(d[2]) <= int(last) + 2 and int(d[3]) >= int(first) - 2)]
        if not near:
            missing += 1
            print(f"{k + 1:>4} {kind + ' ' + first + '-' + last:>18} {'missing':>18}")
            continue
        d = near[0]
        d1, d2 = int(d[2]) - int(first), int(d[3]) - int(last)
        if kind == "cut":
            exact_cuts &= d[0] == "cut" and d[1] == cut
        else:
            worst = max(worst, abs(d1), abs(d2))
        print(f"{k + 1:>4} {kind + ' ' + first + '-' + last:>18} {d[0] + ' ' + d[2] + '-' + d[3]:>18} {d1:>6} {d2:>5}")
    print(f"output: {len(dst)} boundaries for the source's {len(src)}; missing {missing}; hard cuts frame-exact: "
          f"{'yes' if exact_cuts else 'NO'}; largest span difference of a gradual one: {worst} frames")


def look(video):
    """animate.lua on the video (Ken Burns), and strips of output frames around its first
    dissolve and its fade, to look at."""
    out = os.path.join(DIR, "animated.mp4")
    recipe = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "recipes", "animate.lua")
    t0 = time.time()
    r = subprocess.run([BIN, "run", recipe, video["path"], out], capture_output=True, text=True,
                       env=dict(ENV, XDG_CACHE_HOME=os.path.join(DIR, "cache")))
    if r.returncode != 0:
        sys.exit(r.stderr)
    print(f"\n== animate.lua (kenburns, transitions on): {time.time() - t0:.1f} s ==")
    print("\n".join(l for l in r.stdout.splitlines() if " in (frames" in l))
    for b in video["boundaries"]:
        if b["kind"] == "cut":
            continue
        lo, hi = b["first"] - 4, b["last"] + 4
        for name, src in (("output", out), ("source", video["path"])):
            png = os.path.join(DIR, f"{name}-{b['kind']}-{b['first']}-{b['last']}.png")
            cols = 6
            rows = (hi - lo + cols) // cols
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", src, "-vf",
                            f"select='between(n,{lo},{hi})',scale=320:-2,tile={cols}x{rows}", "-frames:v", "1", png], check=True)
            print(f"{name} frames {lo}-{hi} (blended {b['first']}-{b['last']}): {png}")
        if b["kind"] == "fade":
            break


def main():
    os.makedirs(DIR, exist_ok=True)
    size = tuple(int(x) for x in os.environ.get("SIZE", "1280x720").split("x"))
    videos = [
        ("eight half-second dissolves between pictures (the issue's case), 3 s scenes",
         "eight.mp4", [(3, ("fade", 0.5))] * 8 + [(3, None)]),
        ("hard cuts, 0.5 s and 1 s dissolves, a 1 s fade through black",
         "mixed.mp4", [(4, ("fade", 0.5)), (4, ("cut", 0)), (4, ("fade", 1)), (4, ("cut", 0)), (4, ("fadeblack", 1)),
                       (4, ("fade", 0.5)), (4, ("cut", 0)), (4, ("fade", 1)), (4, ("fade", 1)), (4, ("cut", 0)), (4, None)]),
        ("long: 30 scenes of 6 s, every third join a 1 s dissolve, every third a 0.5 s one (detection speed)",
         "long.mp4", [(6, [("cut", 0), ("fade", 1), ("fade", 0.5)][k % 3]) for k in range(29)] + [(6, None)]),
    ]
    made = {}
    for name, file, spec in videos:
        path = os.path.join(DIR, f"{size[0]}x{size[1]}-{file}")
        meta = path + ".json"
        if not os.path.exists(meta):
            print(f"making {path}...", file=sys.stderr)
            with open(meta, "w") as f:
                json.dump(dv.make(path, spec, size, 25), f)
        with open(meta) as f:
            made[file] = json.load(f)
        report(name, made[file], spec)
    reproduce(made["mixed.mp4"])
    if os.environ.get("LOOK", "1") != "0":
        look(made["mixed.mp4"])


if __name__ == "__main__":
    main()
