import Foundation
import Testing

/// The REPL driven in a real terminal, as a person uses it.
@Suite(.serialized) struct REPLTerminalTests {
    func start(_ state: URL) throws -> TmuxSession {
        let cmd = "env XDG_STATE_HOME='\(state.path)' TERM=xterm-256color '\(Executable.path)'"
        let t = try TmuxSession(command: cmd)
        #expect(t.waitFor("> ").ok, "no prompt")
        return t
    }

    @Test(.enabled(if: TmuxSession.available)) func aSessionAsAPersonHasIt() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state")
        let recipe = dir.appendingPathComponent("session.lua")

        var t = try start(state)
        // A multi-line function: continuation prompt, then the value.
        try t.type("function double(x)")
        #expect(t.waitFor(">> ").ok)
        try t.type("return x * 2")
        try t.type("end")
        try t.type("double(21)")
        var r = t.waitFor("\n42\n")
        #expect(r.ok, "multi-line function: \(r.screen)")

        // An error, then the session goes on with its state.
        try t.type("error('oops')")
        #expect(t.waitFor("stdin:1: oops").ok)
        try t.type("'after' .. '-' .. double(2)")
        r = t.waitFor("\"after-4\"")
        #expect(r.ok, "after an error: \(r.screen)")

        // Ctrl-C while a chunk runs stops it; the session and its state stay.
        try t.type("while true do end")
        Thread.sleep(forTimeInterval: 0.5)
        try t.key("C-c")
        r = t.waitFor("interrupted")
        #expect(r.ok, "Ctrl-C during a loop: \(r.screen)")
        try t.type("'still ' .. double(50)")
        r = t.waitFor("\"still 100\"")
        #expect(r.ok, "after Ctrl-C: \(r.screen)")

        // Ctrl-C during a Swift primitive (sleep) stops it too.
        try t.type("sleep(30)")
        Thread.sleep(forTimeInterval: 0.5)
        try t.key("C-c")
        r = t.wait { $0.components(separatedBy: "interrupted").count >= 3 }
        #expect(r.ok, "Ctrl-C during sleep: \(r.screen)")

        // Ctrl-C at the prompt clears the line.
        try t.type("this is not lua", enter: false)
        try t.key("C-c")
        try t.type("'clean ' .. 'line'")
        r = t.waitFor("\"clean line\"")
        #expect(r.ok && !r.screen.contains("syntax error"), "Ctrl-C at the prompt: \(r.screen)")

        // Completion of a global.
        try t.type("dou", enter: false)
        try t.key("Tab")
        try t.type("(1000)")
        r = t.waitFor("\n2000\n")
        #expect(r.ok, "completion: \(r.screen)")

        try t.type("print('from recipe', double(5))")
        #expect(t.waitFor("from recipe\t10").ok || t.waitFor("from recipe").ok)
        try t.type(":save \(recipe.path)")
        r = t.waitFor("saved")
        #expect(r.ok, ":save: \(r.screen)")
        try t.key("C-d")
        #expect(t.wait(timeout: 5) { _ in !t.isRunning }.ok, "Ctrl-D did not leave")

        // History is kept across sessions.
        t = try start(state)
        try t.key("Up")
        r = t.waitFor("> :save \(recipe.path)")
        #expect(r.ok, "history after restart: \(r.screen)")
        try t.key("C-u")
        try t.type(":quit")
        #expect(t.wait(timeout: 5) { _ in !t.isRunning }.ok, ":quit did not leave")

        // The saved recipe runs: only chunks that succeeded, so no error and no endless loop.
        let run = try Executable.run(["run", recipe.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("from recipe\t10"))
        let text = try String(contentsOf: recipe, encoding: .utf8)
        #expect(!text.contains("oops") && !text.contains("while true"))
    }
}
