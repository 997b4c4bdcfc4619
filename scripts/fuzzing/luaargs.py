"""Every Lua primitive × wrong arguments: a table of calls generated from each primitive's valid
call and a list of hostile values, run in one session (each under pcall, so the session must
survive every one), checked against the house message shape `name: argument #i (what): expected
..., got ...`. A call that kills the process is a crash; the run resumes after it."""
import os
import re
import signal
import time

from . import child
from .child import Case, Outcome
from .lua import q

# Hostile values, as Lua expressions.
BAD = ["nil", "true", "'x'", "''", "0", "-1", "0/0", "1/0", "-1/0", "1e12", "-1e12", "2^63", "math.mininteger",
       "math.maxinteger", "1.5", "{}", "CYC", "{1, 2, 3}", "print", "coroutine.create(print)", "IMG", "VID", "CLIP",
       "CLOSED_VID", "CLOSED_IMG", "CLOSED_CLIP", "string.rep('x', 5000)", "'a\\0b'", "'../../../../etc/passwd'"]
SLICE_BAD = ["nil", "'x'", "0/0", "1/0", "-1", "1e12", "{}", "CYC", "print", "CLOSED_CLIP"]

# name shown in messages, Lua callee, valid arguments (Lua expressions), options {position: [keys]}.
PRIMITIVES = [
    ("open", "open", ["VIDEO"], {}),
    ("image", "image", ["STILL"], {}),
    ("detect", "detect", ["VIDEO", "{threshold = 30, min_scene_len = 15, weights = {1, 1, 1}, luma_only = false, layout = true}"],
     {2: ["threshold", "min_scene_len", "weights", "luma_only", "layout"]}),
    ("export", "export", ["SCENES", "NEWOUT('')"], {}),
    ("import", "import", ["EXPORTED"], {}),
    ("contact_sheet", "contact_sheet", ["SCENES", "NEWOUT('.png')", "{columns = 4, width = 120}"], {3: ["columns", "width"]}),
    ("clip", "clip", ["VIDEO"], {}),
    ("still", "still", ["IMG", "0.2", "{fps = 10}"], {3: ["fps"]}),
    ("kenburns", "kenburns", ["IMG", "{seconds = 0.2, zoom = 1.15, direction = 'in', pan = 'left', easing = 'ease', seed = 1, fps = 10, size = '32x18'}"],
     {2: ["seconds", "zoom", "direction", "pan", "easing", "seed", "fps", "size"]}),
    ("pad", "pad", ["CLIP", "0.5", "'loop'"], {}),
    ("concat", "concat", ["{CLIP, CLIP}"], {}),
    ("compose", "compose", ["CLIP", "SCENES[1]", "{source = VID, overlays = 'keep', layout = 'auto'}"], {3: ["source", "overlays", "layout"]}),
    ("mux", "mux", ["CLIP", "nil", "NEWOUT('.mp4')", "{size = '32x18', fit = 'cover', fps = 10, crf = 30, preset = 'ultrafast', threads = 1, lookahead = 0, progress = false}"],
     {4: ["size", "fit", "fps", "crf", "preset", "threads", "lookahead", "progress"]}),
    ("sleep", "sleep", ["0"], {}),
    ("pretty", "pretty", ["{1}"], {}),
    ("version", "version", [], {}),
    ("cache.dir", "cache.dir", ["NEWOUT('')"], {}),
    ("cache.info", "cache.info", [], {}),
    ("cache.clear", "cache.clear", [], {}),
    ("svd.load", "svd.load", ["MODEL_DIR", "{device = 'cpu', dtype = 'fp32', variant = 'fp16'}"], {2: ["device", "dtype", "variant"]}),
    ("svd.generate", "svd.generate", ["IMG", "{seed = 1, steps = 1}"], {2: ["seed", "steps", "motion", "model"]}),
    ("svd.stats", "svd.stats", [], {}),
    ("Image:save", "IMG.save", ["IMG", "NEWOUT('.png')"], {}),
    ("Image:resize", "IMG.resize", ["IMG", "8", "8"], {}),
    ("Image:crop", "IMG.crop", ["IMG", "0", "0", "8", "8"], {}),
    ("Clip:save", "CLIP.save", ["CLIP", "NEWOUT('.mp4')", "{preset = 'ultrafast'}"], {3: ["size", "fit", "fps", "crf", "preset"]}),
    ("Clip:save_frames", "CLIP.save_frames", ["CLIP", "NEWOUT('')"], {}),
    ("Clip:preview", "CLIP.preview", ["CLIP", "NEWOUT('.gif')"], {}),
]

PRELUDE = r"""
local out_n = 0
function NEWOUT(ext) out_n = out_n + 1 return OUT .. '/' .. out_n .. ext end
IMG = image(STILL)
VID = open(VIDEO)
CLIP = still(IMG, 0.2, {fps = 10})
SCENES = detect(VIDEO)
EXPORTED = NEWOUT('') export(SCENES, EXPORTED)
CYC = {} CYC[1] = CYC CYC.self = CYC CYC.image = CYC
local function closed(v) if type(v) == 'userdata' and v.close then pcall(v.close, v) end return v end
CLOSED_IMG = closed(image(STILL))
CLOSED_VID = closed(open(VIDEO))
CLOSED_CLIP = closed(still(IMG, 0.2))
local function line(i, ok, e)
  local kind = type(e) == 'table' and e.kind or (type(e) == 'userdata' and e.kind) or ''
  local text = tostring(e):gsub('\\', '\\\\'):gsub('\n', '\\n')
  io.stdout:write(string.format('R\t%d\t%s\t%s\t%s\n', i, ok and 'ok' or 'err', tostring(kind or ''), ok and '' or text))
  io.stdout:flush()
end
CALLS = {}
function RUN(first)
  for i = first, #CALLS do
    io.stdout:write('B\t' .. i .. '\n') io.stdout:flush()
    local ok, e = pcall(CALLS[i])
    line(i, ok, e)
    local alive, two = pcall(function() return 1 + 1 end)
    assert(alive and two == 2, 'the session died')
  end
  io.stdout:write('DONE\n')
end
"""


def generate(bad_values):
    """(label, shown name, Lua call expression, the bad value, its position) for every substitution."""
    calls = []
    for shown, callee, valid, options in PRIMITIVES:
        is_method = ":" in shown
        calls.append((shown + " valid", shown, "%s(%s)" % (callee, ", ".join(valid)), None, None))
        for pos in range(len(valid) + 1):
            for bad in bad_values:
                args = list(valid)
                if pos == len(args):
                    args.append(bad)
                else:
                    args[pos] = bad
                shown_pos = pos if is_method else pos + 1
                label = "%s arg #%d = %s" % (shown, shown_pos, bad)
                calls.append((label, shown, "%s(%s)" % (callee, ", ".join(args)), bad, shown_pos))
        for pos, keys in options.items():
            base = list(valid)
            calls.append(("%s unknown option" % shown, shown,
                          "%s(%s)" % (callee, ", ".join(base[:pos - 1] + ["{no_such_option = 1}"] + base[pos:])), None, None))
            for key in keys:
                for bad in bad_values:
                    if bad == "nil":
                        continue
                    t = "{%s = %s}" % (key, bad)
                    args = base[:pos - 1] + [t] + base[pos:]
                    calls.append(("%s option %s = %s" % (shown, key, bad), shown, "%s(%s)" % (callee, ", ".join(args)), bad, None))
    return calls


def number_of(bad):
    try:
        return float(eval(bad.replace("^", "**").replace("math.mininteger", str(-2**63)).replace("math.maxinteger", str(2**63 - 1)),
                          {"__builtins__": {}}))
    except Exception:
        return None


def judge(shown, bad, kind, message):
    """'error' when the message is in the house shape and true to the value; else 'unclear'."""
    names = {shown, shown.split(":")[-1].split(".")[-1], shown.split(".")[0]}
    if not any(re.search(r"(^|\W)" + re.escape(n) + r": ", message) for n in names):
        return "unclear"
    if not kind:
        return "unclear"          # a plain Lua error string: no e.kind to branch on
    if any(w in message for w in child.UNCLEAR):
        return "unclear"
    if ("argument #" in message or "option '" in message) and not any(w in message for w in ("expected", "unknown option", "closed")):
        return "unclear"
    value = number_of(bad) if bad else None
    if value is not None and value == value and abs(value) != float("inf"):
        # A limit that refuses a value must name the limit the value breaks.
        m = re.search(r"expected an? (?:\w+ )?(?:number|integer) (>=?) (-?[\d.]+)(?!\d)(?! (?:to|and))", message)
        if m and not re.search(r"(at most|to|<=?) ", message[m.end():m.end() + 20]):
            limit = float(m.group(2))
            holds = value > limit if m.group(1) == ">" else value >= limit
            if holds:
                return "unclear"
    return "error"


def run(binary, work, still, video, slice_=False):
    out = os.path.join(work, "lua-args")
    os.makedirs(out, exist_ok=True)
    calls = generate(SLICE_BAD if slice_ else BAD)
    model_dir = os.path.join(work, "no-model")
    os.makedirs(model_dir, exist_ok=True)
    header = "STILL = %s VIDEO = %s OUT = %s MODEL_DIR = %s\n" % (q(still), q(video), q(out), q(model_dir)) + PRELUDE
    body = "".join("CALLS[%d] = function() return %s end\n" % (i + 1, c[2]) for i, c in enumerate(calls))
    outcomes = {}
    first = 1
    while first <= len(calls):
        script = header + body + "RUN(%d)\n" % first
        p, fout, ferr = child.spawn(binary, None, work, 4 << 30, stdin_text=script)
        rc, usage, hung = watch(p, fout, per_call=30 * child.SLOWER)
        fout.seek(0)
        lines = fout.read().decode("utf-8", "replace").splitlines()
        stderr = child.read(ferr)
        fout.close()
        begun = None
        for ln in lines:
            parts = ln.split("\t")
            if parts[0] == "B":
                begun = int(parts[1])
            elif parts[0] == "R":
                i = int(parts[1])
                label, shown, expr, bad, _ = calls[i - 1]
                status, kind, message = parts[2], parts[3], "\t".join(parts[4:]).replace("\\n", "\n").replace("\\\\", "\\")
                verdict = "ok" if status == "ok" else judge(shown, bad, kind, message)
                if label.endswith(" valid") and status != "ok" and not shown.startswith("svd."):
                    verdict = "wrong"
                case = Case("Lua arguments", label, expr, [shown])
                outcomes[i] = Outcome(case, verdict, 0, 0, usage.ru_maxrss, message, "")
                begun = None
        if "DONE" in lines:
            break
        if begun is None:  # died outside any call: the prelude failed
            case = Case("Lua arguments", "prelude", header, ["prelude"])
            outcomes[0] = Outcome(case, "crash", rc, 0, usage.ru_maxrss, stderr, "")
            break
        label, shown, expr, _, _ = calls[begun - 1]
        outcomes[begun] = Outcome(Case("Lua arguments", label, expr, [shown]), "hang" if hung else "crash", rc, 0,
                                  usage.ru_maxrss, stderr[-2000:], "")
        first = begun + 1
    return [outcomes[k] for k in sorted(outcomes)]


def watch(p, fout, per_call):
    """Waits for the session; kills it when one call runs longer than per_call seconds."""
    hung = False
    last_size, last_change = -1, time.monotonic()
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            p.returncode = os.waitstatus_to_exitcode(status)
            return p.returncode, usage, hung
        size = os.fstat(fout.fileno()).st_size
        if size != last_size:
            last_size, last_change = size, time.monotonic()
        elif time.monotonic() - last_change > per_call:
            hung = True
            os.killpg(p.pid, signal.SIGKILL)
        time.sleep(0.05)
