import Foundation
import LuaAPI
import LuaBridge

/// The interactive loop, as a person expects from `lua` or IPython: a prompt and a continuation
/// prompt, expressions shown, errors printed and the session kept, Ctrl-C that clears the line or
/// stops the running chunk, history across sessions, completion, and `:` commands.
public final class REPL {
    public let session: Session
    /// Chunks that ran without error, in order: what `:save` writes.
    public private(set) var journal: [String] = []
    private let editor: LineEditor?
    private let out = FileHandle.standardOutput

    public static let prompt = "> "
    public static let continuation = ">> "

    public init(session: Session, historyPath: String? = HistoryFile.path()) {
        self.session = session
        editor = LineEditor(historyPath: historyPath.flatMap(HistoryFile.prepare))
        LineEditor.completer = Completer(session: session)
    }

    public func run() {
        say("podcast-i2v \(Version.string) · \(Version.lua) · :help lists the primitives, Ctrl-D leaves")
        var pending = ""
        while true {
            let input = editor?.read(prompt: pending.isEmpty ? REPL.prompt : REPL.continuation) ?? .end
            switch input {
            case .end:
                say("")
                return
            case .interrupted:
                // Ctrl-C at the prompt: drop the line (and any unfinished chunk).
                say(pending.isEmpty ? "" : " (unfinished chunk discarded)")
                pending = ""
                continue
            case .line(let line):
                if pending.isEmpty {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    if trimmed.isEmpty { continue }
                    if trimmed.hasPrefix(":") && !trimmed.hasPrefix("::") {
                        editor?.addHistory(trimmed)
                        if command(trimmed) == .quit { return }
                        continue
                    }
                }
                pending = pending.isEmpty ? line : pending + "\n" + line
                let evaluation = session.evaluate(pending)
                if evaluation == .incomplete { continue }
                editor?.addHistory(pending)
                if report(evaluation) { journal.append(session.recipeForm(of: pending)) }
                pending = ""
            }
        }
    }

    /// Prints what a chunk gave; true when it ran without error.
    @discardableResult
    func report(_ evaluation: Session.Evaluation) -> Bool {
        switch evaluation {
        case .values(let values):
            if !values.isEmpty { say(values.joined(separator: "\t")) }
            return true
        case .incomplete:
            sayError("unfinished chunk (the input ended before it was complete)")
        case .syntaxError(let message), .runtimeError(let message):
            sayError(message)
        case .interrupted:
            sayError("interrupted")
        }
        return false
    }

    // MARK: commands

    enum CommandResult { case done, quit }

    static let commands: [(String, String)] = [
        (":help [NAME]", "list the primitives, or show one's signature, options and example"),
        (":save FILE.lua", "write this session's chunks that ran without error as a recipe (:save! replaces)"),
        (":load FILE.lua", "run a recipe inside this session"),
        (":time CHUNK", "run CHUNK and print the wall time"),
        (":quit", "leave (Ctrl-D too)"),
    ]

    func command(_ line: String) -> CommandResult {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts[0]
        let rest = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case ":quit", ":q", ":exit":
            return .quit
        case ":help", ":h":
            say(help(rest))
        case ":save", ":save!":
            save(to: rest, replace: name == ":save!")
        case ":load":
            guard !rest.isEmpty else { sayError(":load: expected a file, e.g. :load recipes/animate.lua"); break }
            if report(session.runFile(rest, args: [])) {
                journal.append("dofile(\(luaQuoted(rest)))")
            }
        case ":time":
            guard !rest.isEmpty else { sayError(":time: expected a chunk, e.g. :time detect(v)"); break }
            let start = DispatchTime.now()
            let evaluation = session.evaluate(rest)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            if report(evaluation) { journal.append(session.recipeForm(of: rest)) }
            say(String(format: "time: %.3f s", seconds))
        default:
            sayError("unknown command \(name); commands:\n" + REPL.commandHelp)
        }
        return .done
    }

    static var commandHelp: String {
        commands.map { "  " + $0.0.padding(toLength: 16, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }

    func help(_ topic: String) -> String {
        if topic.isEmpty {
            return "primitives:\n" + session.docs.overview + "\n\ncommands:\n" + REPL.commandHelp
                + "\n\n:help NAME shows a primitive's signature, options and an example."
        }
        if let doc = session.docs.find(topic) { return doc.text }
        let near = session.docs.all.map(\.name).filter { $0.contains(topic) }
        return "no help for '\(topic)'" + (near.isEmpty ? "; :help lists what there is" : "; did you mean: " + near.joined(separator: ", "))
    }

    func save(to path: String, replace: Bool) {
        guard !path.isEmpty else { sayError(":save: expected a file, e.g. :save my-recipe.lua"); return }
        do {
            try RecipeWriter.write(journal, to: path, replace: replace)
            say("saved \(journal.count) chunk\(journal.count == 1 ? "" : "s") to \(path)")
        } catch {
            sayError(":save: \(error)")
        }
    }

    private func say(_ text: String) { out.write(Data((text + "\n").utf8)) }
    private func sayError(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

func luaQuoted(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
