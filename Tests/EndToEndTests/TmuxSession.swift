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

    static func tmux(_ args: [String], socket: String?) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux"] + (socket.map { ["-L", $0] } ?? []) + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
