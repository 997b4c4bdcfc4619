"""Hard stops: kill -9 at random moments of each writing operation, and a full disk under each.
After a kill the final path holds nothing or a complete file; the temporaries a killed run left
are removed by the next run into the same folder. On a full disk: a clear "no space" error, nothing
at the final path, and the same session goes on (the operation works once there is room)."""
import os
import pty
import select
import shutil
import signal
import subprocess
import time

from . import child
from .child import Case, Outcome
from .lua import q


def ops(video, still):
    """name -> (Lua chunk writing to OUT, what it writes: 'file' or 'folder')."""
    return {
        "mux": ("mux(pad(clip(%s), 4, 'loop'), %s, OUT, {preset = 'ultrafast'})" % (q(video), q(video)), "file"),
        "export": ("export(detect(%s), OUT)" % q(video), "folder"),
        "save_frames": ("kenburns(image(%s), {seconds = 1.6, fps = 25, size = '320x180'}):save_frames(OUT)" % q(still), "folder"),
        "contact_sheet": ("contact_sheet(detect(%s), OUT, {width = 320})" % q(video), "file"),
        "img:save": ("image(%s):resize(1200, 900):save(OUT)" % q(still), "file"),
        ":save": (None, "file"),
    }


def temporaries(folder):
    found = []
    for dirpath, _, names in os.walk(folder):
        found += [os.path.join(dirpath, n) for n in names if n.startswith(".") and any(m in n for m in child.TEMP_MARKERS)]
    return found


def png_complete(path):
    with open(path, "rb") as f:
        data = f.read()
    return data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82")


def complete(binary, work, name, out, kind, expected):
    """Whether what is at `out` is whole: an MP4 with every frame, a PNG to its IEND, a recipe to its end."""
    if not os.path.lexists(out):
        return True
    if kind == "folder":
        for n in os.listdir(out):
            p = os.path.join(out, n)
            if n.endswith(".png") and not png_complete(p):
                return False
            if n == "timestamps.csv":
                # The table comes last: when it is there, every picture it names is.
                rows = open(p).read().splitlines()[1:]
                if any(not os.path.exists(os.path.join(out, r.split(",")[1])) for r in rows):
                    return False
        return True
    if out.endswith(".png"):
        return png_complete(out)
    if out.endswith(".lua"):
        return open(out).read().endswith("-- end\n")
    c = Case("kill -9", "probe", "local v = open(%s) assert(v.frames == %d, v.frames)" % (q(out), expected), ["open"])
    return child.run(binary, c, work).verdict == "ok"


def repl_save(binary, work, out, kill_after=None, timeout=60):
    """A REPL on a terminal: two chunks, then `:save OUT`; killed after `kill_after` seconds when given."""
    pid, fd = pty.fork()
    if pid == 0:
        env = child.environment(work)
        env["TERM"] = "dumb"
        os.chdir(work)
        os.execve(binary, [binary], env)
    text = b""
    def send(line):
        os.write(fd, line.encode("utf-8", "surrogateescape") + b"\r")
    start = time.monotonic()
    script = ["x = 1", "y = x + 1", "-- end", ":save " + out, ":quit"]
    step = 0
    status = None
    while time.monotonic() - start < timeout:
        if kill_after is not None and time.monotonic() - start >= kill_after:
            os.kill(pid, signal.SIGKILL)
            break
        r, _, _ = select.select([fd], [], [], 0.01)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            text += chunk
            # One line per prompt seen ("> " at a line's start), however the reads split the output.
            prompts = text.count(b"\n> ") + text.startswith(b"> ")
            if prompts > step and step < len(script):
                send(script[step])
                step += 1
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
    else:
        os.kill(pid, signal.SIGKILL)
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    os.close(fd)
    return text.decode("utf-8", "replace"), status


def kills(binary, work, video, still, rng, per_op):
    """kill -9 at `per_op` random moments of each operation; then the next run must clean up."""
    base = os.path.join(work, "kill")
    os.makedirs(base, exist_ok=True)
    outcomes = []
    for name, (chunk, kind) in ops(video, still).items():
        folder = os.path.join(base, name.replace(":", "_"))
        os.makedirs(folder, exist_ok=True)
        ext = {"mux": ".mp4", "contact_sheet": ".png", "img:save": ".png", ":save": ".lua"}.get(name, "")
        # One undisturbed run: how long it takes, and what a whole result is.
        ref = os.path.join(folder, "reference" + ext)
        t0 = time.monotonic()
        if name == ":save":
            repl_save(binary, work, ref)
        else:
            p, fo, fe = child.spawn(binary, "OUT = %s %s" % (q(ref), chunk), work, 4 << 30)
            child.reap(p, 120 * child.SLOWER)
        took = max(0.05, time.monotonic() - t0)
        expected = 0
        if name == "mux":
            c = Case("kill -9", "frames", "local n = open(%s).frames io.write(n)" % q(ref), ["open"])
            r = child.run(binary, c, work)
            expected = int(r.stdout or 0)
        for k in range(per_op):
            out = os.path.join(folder, "out-%03d%s" % (k, ext))
            delay = rng.uniform(0, took * 1.1)
            if name == ":save":
                repl_save(binary, work, out, kill_after=delay)
            else:
                p, fo, fe = child.spawn(binary, "OUT = %s %s" % (q(out), chunk), work, 4 << 30)
                time.sleep(delay)
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                child.reap(p, 60 * child.SLOWER)
                fo.close()
                fe.close()
            whole = complete(binary, work, name, out, kind, expected)
            case = Case("kill -9", "%s killed at %.2f s of %.2f" % (name, delay, took), chunk or ":save", [name])
            outcomes.append(Outcome(case, "ok" if whole else "partial", -9, delay, 0, "" if whole else "partial file at " + out, ""))
        # The next run into the same folder removes what the killed ones left: for a file, a run
        # writing beside them; for a folder, a run into each killed one (save_frames then refuses
        # a folder that holds frames, but only after its cleanup).
        left = temporaries(folder)
        if name == ":save":
            repl_save(binary, work, os.path.join(folder, "next" + ext))
        elif kind == "file":
            child.run(binary, Case("kill -9", "next run", "OUT = %s %s" % (q(os.path.join(folder, "next" + ext)), chunk), [name]), work)
        else:
            for k in range(per_op):
                out = os.path.join(folder, "out-%03d%s" % (k, ext))
                if temporaries(out):
                    child.run(binary, Case("kill -9", "next run", "OUT = %s %s" % (q(out), chunk), [name]), work)
        still_left = temporaries(folder)
        case = Case("kill -9", "%s: next run cleans %d temporaries" % (name, len(left)), "", [name])
        outcomes.append(Outcome(case, "ok" if not still_left else "partial", 0, 0, 0,
                                "left after the next run: " + ", ".join(os.path.basename(p) for p in still_left[:5]), ""))
    return outcomes


class SmallDisk:
    """A tmpfs of a few MiB (root), else a plain folder with `ulimit -f` (RLIMIT_FSIZE) as the limit."""
    def __init__(self, path, size_kb):
        self.path = path
        os.makedirs(path, exist_ok=True)
        self.mounted = False
        if os.geteuid() == 0 and not os.environ.get("PODCAST_I2V_FUZZ_NO_MOUNT"):
            r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dk" % size_kb, "tmpfs", path], capture_output=True)
            self.mounted = r.returncode == 0

    def fill(self, leave_bytes):
        """Fills the disk but `leave_bytes`."""
        filler = os.path.join(self.path, "filler")
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        size = os.path.getsize(filler)
        os.truncate(filler, max(0, size - leave_bytes))
        return filler

    def close(self):
        if self.mounted:
            subprocess.run(["umount", "-l", self.path], capture_output=True)


def full_disk(binary, work, video, still):
    """Each writing operation on a nearly full disk, in one session: the first try fails clearly and
    leaves nothing, then the filler goes and the same session's second try succeeds."""
    outcomes = []
    disk = SmallDisk(os.path.join(work, "small-disk"), 2048)
    try:
        for name, (chunk, kind) in ops(video, still).items():
            for leave in (0, 2048, 20000, 120000):
                folder = os.path.join(disk.path, "%s-%d" % (name.replace(":", "_"), leave))
                for n in os.listdir(disk.path):  # the disk holds this case alone
                    p = os.path.join(disk.path, n)
                    shutil.rmtree(p) if os.path.isdir(p) else os.unlink(p)
                os.makedirs(folder, exist_ok=True)
                ext = {"mux": ".mp4", "contact_sheet": ".png", "img:save": ".png", ":save": ".lua"}.get(name, "")
                out = os.path.join(folder, "out" + ext)
                filler = disk.fill(leave) if disk.mounted else None
                limit = None if disk.mounted else leave + 1
                if name == ":save" and not disk.mounted:
                    continue  # RLIMIT_FSIZE would need a way into the REPL's terminal; a tmpfs needs root
                if name == ":save":
                    text, status = repl_save(binary, work, out)
                    first_failed = not os.path.exists(out) or "No space" in text
                    said = "No space left on device" in text or "File too large" in text
                    verdict = "ok" if (said or os.path.exists(out)) else "unclear"
                    if os.path.exists(out) and not open(out).read().endswith("-- end\n"):
                        verdict = "partial"
                    outcomes.append(Outcome(Case("full disk", "%s, %d bytes free" % (name, leave), "", [":save"]),
                                            verdict, 0, 0, 0, text[-300:] if verdict != "ok" else "", ""))
                    continue
                prog = ("OUT = %s local ok, e = pcall(function() %s end) "
                        "io.write('FIRST\\t', tostring(ok), '\\t', tostring(e and e.kind), '\\t', tostring(e):gsub('\\n', ' '), '\\n') io.flush() "
                        "local f = io.open(%s, 'r') if f then f:close() os.remove(%s) end "
                        "ok, e = pcall(function() %s end) io.write('SECOND\\t', tostring(ok), '\\t', tostring(e), '\\n')"
                        % (q(out), chunk, q(filler or "/nonexistent"), q(filler or "/nonexistent"), chunk))
                c = Case("full disk", "%s, %d bytes free" % (name, leave), prog, [name, "save", "Image:save", "Clip:save_frames"],
                         [out], timeout=120)
                r = run_limited(binary, c, work, limit)
                lines = dict((ln.split("\t")[0], ln.split("\t")[1:]) for ln in r.stdout.splitlines() if "\t" in ln)
                first, second = lines.get("FIRST"), lines.get("SECOND")
                verdict = "ok"
                why = ""
                if r.verdict in ("crash", "hang"):
                    verdict, why = r.verdict, r.stderr[-300:]
                elif not first or not second:
                    verdict, why = "crash", "the session did not go on: " + r.stdout[-200:] + r.stderr[-200:]
                elif first[0] == "false":
                    msg = first[2]
                    clear = ("No space left on device" in msg or "File too large" in msg) and (os.path.basename(out) in msg or folder in msg)
                    whole = complete(binary, work, name, out, kind, 0) if kind == "folder" else True
                    if kind == "folder" and os.path.isdir(out) and second[0] != "true":
                        whole = whole and not [n for n in os.listdir(out) if n.endswith(".png")]  # taken back
                    if not clear:
                        verdict, why = "unclear", msg
                    elif not whole:
                        verdict, why = "partial", "damaged file in " + out
                    if second[0] != "true" and disk.mounted:
                        verdict, why = "wrong", "the second try failed: " + second[1]
                elif first[0] == "true" and leave < 100000:
                    verdict, why = "wrong", "succeeded with %d bytes free?" % leave
                if kind == "file" and first and first[0] == "false" and os.path.exists(out) and (second is None or second[0] != "true"):
                    verdict, why = "partial", "a file at " + out
                left = [p for p in temporaries(folder)]
                if left:
                    verdict, why = "partial", "temporaries left: " + ", ".join(os.path.basename(p) for p in left[:3])
                outcomes.append(Outcome(c, verdict, r.rc, r.seconds, r.max_rss_kb, why or (first[2] if first else ""), r.stdout))
    finally:
        disk.close()
    return outcomes


def run_limited(binary, case, work, fsize):
    """child.run, or with RLIMIT_FSIZE as the full disk (no root for a tmpfs): SIGXFSZ ignored so
    that writes fail with EFBIG, and the output read through pipes, which the limit spares."""
    if fsize is None:
        return child.run(binary, case, work)
    import resource
    def apply():
        child.limits(case.memory)()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    start = time.monotonic()
    p = subprocess.Popen([binary, "-e", case.chunk], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=child.environment(work), preexec_fn=apply,
                         start_new_session=True, cwd=work)
    try:
        out, err = p.communicate(timeout=case.timeout * child.SLOWER)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        hung = True
    verdict = "hang" if hung else ("crash" if p.returncode not in (0, 1) else ("ok" if p.returncode == 0 else "error"))
    return Outcome(case, verdict, p.returncode, time.monotonic() - start, 0,
                   err.decode("utf-8", "replace"), out.decode("utf-8", "replace"))
