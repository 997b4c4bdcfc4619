"""The cases of each media family: damaged media, odd media, scene folders, stills."""
import os
import random
import shutil
import stat
import threading
import time

from . import damage, media
from .child import Case
from .lua import q


class Outputs:
    """Fresh output paths under one folder: out/<n>-<name>."""
    def __init__(self, folder):
        self.folder = folder
        self.n = 0
        os.makedirs(folder, exist_ok=True)

    def path(self, name):
        self.n += 1
        return os.path.join(self.folder, "%05d-%s" % (self.n, name))


def open_case(family, label, path):
    return Case(family, label + " · open", "local v = open(%s) return v.frames, v.width, v.height" % q(path), ["open"], [path])


def detect_case(family, label, path):
    return Case(family, label + " · detect", "return #detect(%s)" % q(path), ["detect"], [path])


def mux_case(family, label, path, outs):
    out = outs.path("mux.mp4")
    chunk = ("local c = clip(%s) c = pad(c, c.duration + 0.3, 'pingpong') "
             "local r = mux(c, %s, %s, {preset = 'ultrafast'}) "
             "local o = open(%s) assert(o.frames == r.frames, 'mux wrote ' .. r.frames .. ' frames, open reads ' .. o.frames)"
             % (q(path), q(path), q(out), q(out)))
    return Case(family, label + " · clip+pad+mux", chunk, ["clip", "pad", "mux", "open"], [path, out], [out])


def audio_case(family, label, path, still, outs):
    out = outs.path("audio.mp4")
    chunk = ("local c = kenburns(image(%s), {seconds = 0.5, fps = 10}) "
             "local r = mux(c, %s, %s, {preset = 'ultrafast'}) local o = open(%s) assert(o.frames == r.frames)"
             % (q(still), q(path), q(out), q(out)))
    return Case(family, label + " · mux audio_from", chunk, ["mux", "open"], [path, out], [out])


def export_case(family, label, path, outs):
    out = outs.path("export")
    chunk = "local s = detect(%s) export(s, %s) return #s" % (q(path), q(out))
    return Case(family, label + " · detect+export", chunk, ["detect", "export"], [path, out],
                [os.path.join(out, "timestamps.csv")])


def sheet_case(family, label, path, outs):
    out = outs.path("sheet.png")
    chunk = "contact_sheet(detect(%s), %s)" % (q(path), q(out))
    return Case(family, label + " · detect+contact_sheet", chunk, ["detect", "contact_sheet"], [path, out], [out])


def damaged(inputs, folder, outs, rng, scale):
    """Truncations, bit flips and byte runs in header and payload, box damage, swapped handlers."""
    cases = []
    files = []
    for base, path in sorted(inputs.items()):
        data = open(path, "rb").read()
        stem, ext = os.path.splitext(base)
        def keep(label, blob):
            name = os.path.join(folder, "%s-%03d%s" % (stem, len(files), ext))
            with open(name, "wb") as f:
                f.write(blob)
            files.append((base + " " + label, name))
        for cut in damage.truncations(data, rng, scale["truncations"]):
            keep("cut at %d" % cut, data[:cut])
        header = (0, min(len(data), 4096)) if not base.startswith("moovlast") else (max(0, len(data) - 4096), len(data))
        for k in range(scale["flips"]):
            region = header if k % 2 == 0 else (0, len(data))
            bits = rng.choice([1, 2, 8, 32])
            keep("%d bit(s) flipped in %s" % (bits, "header" if k % 2 == 0 else "file"), damage.flip_bits(data, rng, bits, region))
        for k in range(scale["runs"]):
            region = header if k % 2 == 0 else (0, len(data))
            blob, what = damage.byte_run(data, rng, region)
            keep("byte run " + what, blob)
        if ext in (".mp4", ".mov"):
            box = damage.box_damages(data)
            rng.shuffle(box)
            for label, blob in box[:scale["boxes"]]:
                keep(label, blob)
            for label, blob in (("handlers swapped", damage.swap_handlers(data)), ("traks swapped", damage.swap_tracks(data))):
                if blob:
                    keep(label, blob)
    for label, path in files:
        cases.append(open_case("damaged media", label, path))
        cases.append(detect_case("damaged media", label, path))
        cases.append(mux_case("damaged media", label, path, outs))
    cases += special(inputs, folder, outs)
    return cases


def special(inputs, folder, outs):
    """Zero bytes, a folder, FIFOs, a growing file, hostile names (relative to the work folder)."""
    fam = "damaged media"
    cases = []
    good = inputs.get("faststart.mp4")
    mkv = inputs.get("episode.mkv")
    empty = os.path.join(folder, "empty.mp4")
    open(empty, "wb").close()
    folder_mp4 = os.path.join(folder, "folder.mp4")
    os.makedirs(folder_mp4, exist_ok=True)
    fifo = os.path.join(folder, "fifo.mp4")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)
    missing = os.path.join(folder, "missing.mp4")
    for label, path in (("zero-byte file", empty), ("a folder", folder_mp4), ("a FIFO with no writer", fifo),
                        ("a missing file", missing), ("/dev/zero", "/dev/zero"), ("/dev/null", "/dev/null")):
        cases += [open_case(fam, label, path), detect_case(fam, label, path), mux_case(fam, label, path, outs)]
        cases[-3].timeout = cases[-2].timeout = cases[-1].timeout = 20

    # A FIFO fed by a writer: streamed Matroska (a pipe cannot seek).
    if mkv:
        fed = os.path.join(folder, "fed-fifo.mkv")
        if not os.path.exists(fed):
            os.mkfifo(fed)
        data = open(mkv, "rb").read()
        for make in (open_case, detect_case):
            c = make(fam, "a FIFO fed by a writer", fed)
            c.timeout = 20
            c.before, c.after = fifo_writer(fed, data)
            cases.append(c)

    # A file that grows while it is read.
    if mkv:
        data = open(mkv, "rb").read()
        for k, make in enumerate((open_case, detect_case, lambda f, l, p: mux_case(f, l, p, outs))):
            grow = os.path.join(folder, "growing-%d.mkv" % k)
            c = make(fam, "a file growing while read", grow)
            c.before, c.after = grower(grow, data)
            cases.append(c)

    # Hostile names, as the person would type them (relative to the work folder, the child's cwd).
    if good:
        names = ["with space.mp4", "quote'single.mp4", 'quote"double.mp4', "ünïcödé 文件.mp4", "new\nline.mp4",
                 "-starts-with-dash.mp4", "back\\slash.mp4", "percent%d.mp4", "pipe:0.mp4", "file:x.mp4",
                 "concat:a.mp4", "http:x.mp4", "tab\tname.mp4", "semi;colon$(x).mp4", "trailing space .mp4",
                 "🎬.mp4", "a" * 200 + ".mp4"]
        work = os.path.dirname(folder.rstrip("/"))
        names_dir = os.path.join(work, "names")
        os.makedirs(names_dir, exist_ok=True)
        for name in names:
            path = os.path.join(names_dir, name)
            shutil.copyfile(good, path)
            rel = os.path.join("names", name)
            cases += [open_case(fam, "name %r" % name, rel), detect_case(fam, "name %r" % name, rel)]
            out_rel = os.path.join("names-out", name)
            os.makedirs(os.path.join(work, "names-out"), exist_ok=True)
            chunk = ("local r = mux(clip(%s), %s, %s, {preset = 'ultrafast'}) local o = open(%s) assert(o.frames == r.frames)"
                     % (q(rel), q(rel), q(out_rel), q(out_rel)))
            cases.append(Case(fam, "name %r · clip+mux to the same name" % name, chunk, ["clip", "mux", "open"],
                              [rel, out_rel], [os.path.join(work, out_rel)], expect="ok"))
    return cases


def fifo_writer(path, data):
    state = {}
    def write():
        try:
            fd = None
            deadline = time.monotonic() + 15
            while fd is None and time.monotonic() < deadline and not state.get("stop"):
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    time.sleep(0.02)
            if fd is None:
                return
            os.set_blocking(fd, True)
            try:
                os.write(fd, data)
            except OSError:
                pass
            os.close(fd)
        except Exception:
            pass
    def before():
        state["t"] = threading.Thread(target=write, daemon=True)
        state["t"].start()
    def after():
        state["stop"] = True
        state["t"].join(timeout=20)
    return before, after


def grower(path, data):
    state = {}
    def write():
        with open(path, "wb") as f:
            for k in range(0, len(data), 2048):
                f.write(data[k:k + 2048])
                f.flush()
                time.sleep(0.01)
    def before():
        with open(path, "wb") as f:
            f.write(data[:1024])
        state["t"] = threading.Thread(target=write, daemon=True)
        state["t"].start()
    def after():
        state["t"].join()
    return before, after


def odd(inputs, stills_made, outs, full):
    cases = []
    still = stills_made.get("rgb.png")
    fam = "odd media"
    for name, path in sorted(inputs.items()):
        heavy = name.startswith("episode-") or name == "8k.mp4"
        big = dict(timeout=600, memory=6 << 30) if heavy else {}
        made = [open_case(fam, name, path), detect_case(fam, name, path), mux_case(fam, name, path, outs)]
        if not name.startswith("episode-"):
            made += [export_case(fam, name, path, outs), sheet_case(fam, name, path, outs)]
        if still:
            made.append(audio_case(fam, name, path, still, outs))
        for c in made:
            c.__dict__.update(big)
            # Valid media: anything but audio-only files must go through.
            # Rotated ones are refused (frames are read as stored), clearly.
            c.expect = "any" if name.startswith("audio-only") else "error" if name.startswith("rotate") else "ok"
            if name.startswith("audio-only") and c.name.endswith("mux audio_from"):
                c.expect = "ok"
            if name.startswith("rotate") and c.name.endswith("mux audio_from"):
                c.expect = "any"  # only its sound is taken (its stored size is the default output size)
        cases += made
    return cases


def scene_folders(base_video, binary_export, folder, outs):
    """A folder exported from the episode, then damaged one way per case; each is imported."""
    fam = "scene folders"
    good = os.path.join(folder, "good")
    if not binary_export(base_video, good):
        return []
    csv = open(os.path.join(good, "timestamps.csv")).read().splitlines()
    header, rows = csv[0], csv[1:]
    cases = []
    def variant(label, lines=None, expect="any", tweak=None, text=None):
        d = os.path.join(folder, "%02d" % len(cases))
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(good, d)
        path = os.path.join(d, "timestamps.csv")
        if text is not None:
            with open(path, "wb") as f:
                f.write(text)
        elif lines is not None:
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
        if tweak:
            tweak(d)
        out = outs.path("sheet.png")
        chunk = "local s = import(%s) if #s > 0 then contact_sheet(s, %s, {columns = 50, width = 120}) end return #s" % (q(d), q(out))
        cases.append(Case(fam, label, chunk, ["import", "contact_sheet"], [d, path, "timestamps.csv", "image_0"], [out], expect=expect))
    def field(row, k, value):
        f = row.split(",")
        f[k] = value
        return ",".join(f)
    def rm(name):
        return lambda d: os.unlink(os.path.join(d, name))
    def replace(name, blob):
        def go(d):
            p = os.path.join(d, name)
            os.unlink(p)
            if blob is None:
                os.makedirs(p)
            else:
                open(p, "wb").write(blob)
        return go
    first_png = open(os.path.join(good, "image_001.png"), "rb").read()
    variant("as exported", expect="ok")
    variant("CRLF line endings", text=("\r\n".join(csv) + "\r\n").encode(), expect="ok")
    variant("a UTF-8 BOM", text=("\ufeff" + "\n".join(csv) + "\n").encode(), expect="ok")
    variant("blank lines", [header, ""] + rows[:1] + ["", "  "] + rows[1:], expect="ok")
    variant("no final newline", text="\n".join(csv).encode(), expect="ok")
    variant("header only", [header])
    variant("no timestamps.csv", expect="error", tweak=rm("timestamps.csv"))
    variant("timestamps.csv empty", text=b"", expect="error")
    variant("timestamps.csv is a folder", expect="error", tweak=replace("timestamps.csv", None))
    variant("binary garbage", text=bytes(random.Random(1).randrange(256) for _ in range(600)), expect="error")
    variant("wrong header", ["idx,file,from,to"] + rows, expect="error")
    variant("a row with 6 fields", [header, rows[0].rsplit(",", 1)[0]] + rows[1:], expect="error")
    variant("a row with 8 fields", [header, rows[0] + ",x"] + rows[1:], expect="error")
    variant("start not a number", [header, field(rows[0], 2, "abc")] + rows[1:], expect="error")
    variant("start nan", [header, field(rows[0], 2, "nan")] + rows[1:], expect="error")
    variant("stop inf", [header] + rows[:-1] + [field(rows[-1], 3, "inf")], expect="error")
    variant("start 1e308", [header] + rows[:-1] + [field(rows[-1], 2, "1e308")], expect="error")
    variant("negative start", [header, field(rows[0], 2, "-1.000")] + rows[1:], expect="error")
    variant("start after stop", [header, field(field(rows[0], 2, "2.000"), 3, "1.000")] + rows[1:], expect="error")
    variant("zero-length scene", [header, field(rows[0], 3, field(rows[0], 2, "0.000").split(",")[2])] + rows[1:], expect="error")
    variant("rows unsorted", [header] + rows[::-1], expect="error")
    if len(rows) >= 2:
        s1 = rows[1].split(",")
        variant("scenes overlap", [header, rows[0], field(rows[1], 2, "%.3f" % (float(s1[2]) - 0.5))] + rows[2:], expect="error")
        variant("a gap between scenes", [header, rows[0], field(rows[1], 2, "%.3f" % (float(s1[2]) + 0.1))] + rows[2:], expect="ok")
        variant("duplicate index", [header, rows[0], field(rows[1], 0, rows[0].split(",")[0])] + rows[2:], expect="error")
    variant("index huge", [header, field(rows[0], 0, "99999999999999999999999")] + rows[1:], expect="error")
    variant("index negative", [header, field(rows[0], 0, "-3")] + rows[1:], expect="error")
    variant("start_frame after end_frame", [header, field(field(rows[0], 5, "50"), 6, "10")] + rows[1:], expect="error")
    variant("quoted fields", [header, ",".join('"%s"' % x for x in rows[0].split(","))] + rows[1:], expect="error")
    variant("image missing", expect="error", tweak=rm("image_002.png"))
    variant("image name empty", [header, field(rows[0], 1, "")] + rows[1:], expect="error")
    variant("image is a folder", expect="error", tweak=replace("image_001.png", None))
    variant("image zero bytes", expect="error", tweak=replace("image_001.png", b""))
    variant("image truncated", expect="error", tweak=replace("image_001.png", first_png[:len(first_png) // 3]))
    variant("image is text", expect="error", tweak=replace("image_001.png", b"not a picture\n"))
    variant("image a JPEG named .png", tweak=replace("image_001.png", stills_bytes("baseline.jpg")), expect="ok")
    variant("image outside the folder", [header, field(rows[0], 1, "../good/image_001.png")] + rows[1:])
    variant("image an absolute path", [header, field(rows[0], 1, "/etc/passwd")] + rows[1:], expect="error")
    variant("the folder missing", expect="error", tweak=lambda d: shutil.rmtree(d))
    variant("the folder is a file", expect="error", tweak=lambda d: (shutil.rmtree(d), open(d, "w").close()))
    variant("2000 rows on one image", [header] + ["%d,image_001.png,%.3f,%.3f,1.000,%d,%d" % (i + 1, i, i + 1, 25 * i, 25 * (i + 1)) for i in range(2000)], expect="ok")
    return cases


STILLS = {}


def stills_bytes(name):
    return STILLS.get(name, b"")


def stills(made, folder, outs, rng, scale):
    fam = "stills"
    cases = []
    def case(label, path, expect="any"):
        out = outs.path("still.png")
        chunk = "local i = image(%s) i:save(%s) return i.width, i.height" % (q(path), q(out))
        cases.append(Case(fam, label, chunk, ["image", "save"], [path, out], [out], expect=expect))
    n = 0
    def keep(stem_ext, blob):
        nonlocal n
        n += 1
        stem, ext = os.path.splitext(stem_ext)
        p = os.path.join(folder, "%s-%03d%s" % (stem, n, ext))
        open(p, "wb").write(blob)
        return p
    for name, path in sorted(made.items()):
        data = open(path, "rb").read()
        STILLS[name] = data
        case(name + " as made", path, expect="ok")
        for cut in damage.truncations(data, rng, scale["still_truncations"]):
            case("%s cut at %d" % (name, cut), keep(name, data[:cut]))
        for k in range(scale["still_flips"]):
            bits = rng.choice([1, 4, 16])
            case("%s %d bit(s) flipped" % (name, bits), keep(name, damage.flip_bits(data, rng, bits, (0, min(len(data), 200) if k % 2 == 0 else len(data)))))
        for k in range(scale["still_runs"]):
            blob, what = damage.byte_run(data, rng, (0, len(data)))
            case("%s byte run %s" % (name, what), keep(name, blob))
        if name.endswith(".png"):
            for w, h in ((100000, 100000), (2**31 - 1, 1), (1, 2**31 - 1), (65536, 65536), (0, 10), (30000, 30000)):
                case("%s declares %dx%d" % (name, w, h), keep(name, damage.png_with_size(data, w, h)))
        if name.endswith(".jpg"):
            for w, h in ((65535, 65535), (0, 48), (64, 0), (40000, 30000)):
                blob = damage.jpeg_with_size(data, w, h)
                if blob:
                    case("%s declares %dx%d" % (name, w, h), keep(name, blob))
    for label, blob in (("zero bytes", b""), ("text named .png", b"hello\n"), ("PNG signature only", b"\x89PNG\r\n\x1a\n"),
                        ("JPEG SOI only", b"\xff\xd8"), ("JPEG SOI+EOI", b"\xff\xd8\xff\xd9")):
        case(label, keep("x.png", blob))
    d = os.path.join(folder, "folder.png")
    os.makedirs(d, exist_ok=True)
    case("a folder named .png", d, expect="error")
    case("a missing file", os.path.join(folder, "missing.png"), expect="error")
    return cases
