import Foundation

/// A program in a real terminal: tmux on a private socket, keys sent, the screen read back.
final class TmuxSession {
    let socket = "pi2v-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let name = "repl"

    static var available: Bool { (try? tmux(["-V"], socket: nil).status) == 0 }

    init(command: String, width: Int = 120, height: Int = 50) throws {
        let r = try TmuxSession.tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command], socket: socket)
        guard r.status == 0 else { throw TmuxError(message: "tmux new-session failed: \(r.output)") }
    }

    deinit { _ = try? TmuxSession.tmux(["kill-server"], socket: socket) }

    struct TmuxError: Error { let message: String }

    /// Types text literally (no key names), then optionally Enter.
    func type(_ text: String, enter: Bool = true) throws {
        _ = try TmuxSession.tmux(["send-keys", "-t", name, "-l", text], socket: socket)
        if enter { try key("Enter") }
    }

    func key(_ name: String) throws { _ = try TmuxSession.tmux(["send-keys", "-t", self.name, name], socket: socket) }

    var screen: String { (try? TmuxSession.tmux(["capture-pane", "-p", "-J", "-S", "-200", "-t", name], socket: socket).output) ?? "" }

    var isRunning: Bool { (try? TmuxSession.tmux(["has-session", "-t", name], socket: socket).status) == 0 }

    /// Waits until the screen satisfies `predicate`; returns the screen either way.
    @discardableResult
    func wait(timeout: TimeInterval = 10, until predicate: (String) -> Bool) -> (ok: Bool, screen: String) {
        let end = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < end {
            last = screen
            if predicate(last) { return (true, last) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return (false, last)
    }

    func waitFor(_ text: String, timeout: TimeInterval = 10) -> (ok: Bool, screen: String) {
        wait(timeout: timeout) { $0.contains(text) }
    }

    /// Spawned with posix_spawn and reaped with waitpid, output through a file: the tmux server that
    /// `new-session` forks inherits the client's descriptors (a pipe would never reach end-of-file),
    /// and test threads block signals that the REPL under test must receive, so the child gets an
    /// empty mask and default dispositions.
    static func tmux(_ args: [String], socket: String?) throws -> (status: Int32, output: String) {
        let outPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("pi2v-tmux-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).out").path
        defer { unlink(outPath) }
        let argv = ["tmux"] + (socket.map { ["-L", $0] } ?? []) + args
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid = pid_t()
        let rc = posix_spawnp(&pid, "tmux", &actions, &attr, cArgs, environ)
        guard rc == 0 else { throw TmuxError(message: "cannot start tmux: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }
}
