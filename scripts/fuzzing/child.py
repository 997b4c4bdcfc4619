"""One case: a Lua chunk run by the executable in its own process group, under a time limit and a
memory cap (RLIMIT_AS, what `ulimit -v` sets), then judged: success, a clear error, or a crash,
hang, partial file or unclear message."""
import os
import re
import resource
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field

# Words that mean an error leaked out unexplained (Swift/Foundation/FFmpeg internals).
UNCLEAR = [
    "Optional(", "Error Domain=", "NSCocoaErrorDomain", "(null)", "Fatal error", "Swift/",
    "Error number -", "Unknown error occurred", "nil value", "attempt to index", "attempt to call",
]
TEMP_MARKERS = (".partial-", ".tmp-")


@dataclass
class Case:
    family: str
    name: str
    chunk: str
    ops: list                    # primitives that may name the error (`open`, `mux`, ...)
    names: list = field(default_factory=list)   # files the error must name (any one of them)
    outputs: list = field(default_factory=list)  # paths that must not appear unless it succeeds
    timeout: float = 60
    memory: int = 4 << 30
    expect: str = "any"          # "any", "ok" (must succeed) or "error" (must fail clearly)
    before: object = None        # callable run just before the child starts (e.g. a writer thread)
    after: object = None         # callable run after the child ended


@dataclass
class Outcome:
    case: Case
    verdict: str                 # ok, error, crash, hang, partial, unclear, wrong
    rc: int
    seconds: float
    max_rss_kb: int
    stderr: str
    stdout: str


# Set by `scripts/fuzz --sanitized`: AddressSanitizer reserves terabytes of address space, so no
# RLIMIT_AS; its reports exit with 86 (a crash here, never mistaken for a Lua error's 1).
SANITIZED = False
SLOWER = 1


def limits(memory):
    def apply():
        if not SANITIZED:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def environment(work):
    env = dict(os.environ)
    if SANITIZED:
        env["ASAN_OPTIONS"] = "detect_leaks=0:exitcode=86:allocator_may_return_null=1:handle_abort=1"
        env["UBSAN_OPTIONS"] = "halt_on_error=1:exitcode=86:print_stacktrace=1"
    env["PODCAST_I2V_NO_PROGRESS"] = "1"
    env["PODCAST_I2V_CACHE"] = os.path.join(work, "cache")
    env["XDG_STATE_HOME"] = os.path.join(work, "state")
    env["TMPDIR"] = os.path.join(work, "tmp")
    os.makedirs(env["TMPDIR"], exist_ok=True)
    return env


def spawn(binary, chunk, work, memory, stdin_text=None):
    """Starts the executable on a chunk; stdout/stderr go to files (no pipe can fill up)."""
    os.makedirs(os.path.join(work, "tmp"), exist_ok=True)
    out = tempfile.TemporaryFile(dir=os.path.join(work, "tmp"))
    err = tempfile.TemporaryFile(dir=os.path.join(work, "tmp"))
    args = [binary, "-"] if stdin_text is not None else [binary, "-e", chunk]
    stdin = subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL
    p = subprocess.Popen(args, stdin=stdin, stdout=out, stderr=err, env=environment(work),
                         preexec_fn=limits(memory), start_new_session=True, cwd=work)
    if stdin_text is not None:
        try:
            p.stdin.write(stdin_text.encode("utf-8", "surrogateescape"))
            p.stdin.close()
        except BrokenPipeError:
            pass
    return p, out, err


def reap(p, timeout):
    """Waits for the child (killing its group at the timeout); (status, rusage, hung)."""
    hung = []

    def kill():
        hung.append(True)
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    timer = threading.Timer(timeout, kill)
    timer.start()
    _, status, usage = os.wait4(p.pid, 0)
    timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    try:  # anything the child left running in its group goes too
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return p.returncode, usage, bool(hung)


def read(f):
    f.seek(0)
    text = f.read().decode("utf-8", "replace")
    f.close()
    return text


def leftovers(paths, outputs_too=True):
    """Temporary files of ours beside the outputs, and (unless told) outputs that exist."""
    found = []
    for path in paths:
        if outputs_too and os.path.lexists(path):
            found.append(path)
        folder = os.path.dirname(path) or "."
        base = os.path.basename(path)
        try:
            for name in os.listdir(folder):
                if name.startswith("." + base) and any(m in name for m in TEMP_MARKERS):
                    found.append(os.path.join(folder, name))
        except OSError:
            pass
    return found


def clear(message, case):
    """The house shape: names the operation and one of the files; no leaked internals."""
    if not message.strip():
        return False
    if any(word in message for word in UNCLEAR):
        return False
    if not any(re.search(r"(^|[\s:(])" + re.escape(op) + r":", message) for op in case.ops):
        return False
    # An argument refused (a value the script computed from a damaged file) names the argument.
    argument = re.search(r"argument #\d+ \([^)]*\): expected", message) is not None
    if case.names and not argument and not any(os.path.basename(n.rstrip("/")) in message for n in case.names):
        return False
    return True


def run(binary, case, work):
    for path in case.outputs:
        assert not os.path.lexists(path), f"{case.name}: output {path} exists before the run"
    if case.before:
        case.before()
    start = time.monotonic()
    p, out, err = spawn(binary, case.chunk, work, case.memory)
    rc, usage, hung = reap(p, case.timeout * SLOWER)
    seconds = time.monotonic() - start
    if case.after:
        case.after()
    stdout, stderr = read(out), read(err)
    if hung:
        verdict = "hang"
    elif rc not in (0, 1):
        verdict = "crash"
    elif rc == 0:
        verdict = "ok" if case.expect != "error" else "wrong"
        if leftovers(case.outputs, outputs_too=False):
            verdict = "partial"
    else:
        verdict = "error" if clear(stderr, case) else "unclear"
        if verdict == "error" and case.expect == "ok":
            verdict = "wrong"
        if leftovers(case.outputs):
            verdict = "partial"
    return Outcome(case, verdict, rc, seconds, usage.ru_maxrss, stderr, stdout)
