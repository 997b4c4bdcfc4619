import Foundation
import LuaBridge

/// One Lua session: the state, its documented primitives and how chunks are evaluated.
/// The REPL, `-e`, `run` and tests all go through `evaluate`, so they behave alike.
public final class Session {
    public let lua: LuaState
    public let docs = DocRegistry()

    public init() {
        lua = LuaState()
        switch lua.run(Prelude.source, chunkName: "=prelude") {
        case .ok: break
        case .syntaxError(let message), .runtimeError(let message): fatalError("prelude: \(message)")
        }
        lua.top = 0
        CorePrimitives.register(in: self)
        ImageValue.install(in: self)
        ClipValue.install(in: self)
        MediaPrimitives.register(in: self)
        TimelinePrimitives.register(in: self)
        SVDPrimitives.register(in: self)
        FilePrimitives.register(in: self)
    }

    /// Defines a documented global function.
    public func register(_ doc: PrimitiveDoc, _ body: @escaping LuaState.Body) {
        docs.add(doc)
        lua.register(doc.name, body)
    }

    /// Defines a function inside a global table (`svd.load`), creating the table if needed.
    public func register(_ doc: PrimitiveDoc, in table: String, as name: String, _ body: @escaping LuaState.Body) {
        docs.add(doc)
        if lua.getGlobal(table) != .table {
            lua.pop()
            lua.newTable()
            lua.pushValue(-1)
            lua.setGlobal(table)
        }
        lua.pushFunction("\(table).\(name)", body)
        lua.setField(-2, name)
        lua.pop()
    }

    /// Installs a userdata class and documents its methods.
    public func install<T: AnyObject>(_ cls: LuaClass<T>, docs: [PrimitiveDoc] = []) {
        cls.install(in: lua)
        docs.forEach(self.docs.add)
    }

    // MARK: evaluation

    public enum Evaluation: Equatable {
        case values([String])       // pretty-printed results (empty for a statement)
        case incomplete             // the chunk needs more lines (the compiler hit <eof>)
        case syntaxError(String)
        case runtimeError(String)   // with a traceback
        case interrupted
    }

    /// Compiles `code` as `lua.c` does: first as `return <code>` (so an expression shows its
    /// value), then as statements; a syntax error at `<eof>` means "read another line".
    public func evaluate(_ code: String, chunkName: String = "=stdin", expressionFirst: Bool = true) -> Evaluation {
        let loaded: Result<Void, LuaError>
        if expressionFirst, case .success = lua.load("return " + code + "\n;", chunkName: chunkName) {
            loaded = .success(())
        } else {
            loaded = lua.load(code, chunkName: chunkName)
        }
        if case .failure(let error) = loaded {
            return Session.isIncomplete(error.message) ? .incomplete : .syntaxError(error.message)
        }
        return finish(lua.call())
    }

    /// Runs a file as a recipe: `arg[0]` is its path, `arg[1..n]` and `...` its arguments.
    public func runFile(_ path: String, args: [String]) -> Evaluation {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "No such file or directory"
            return .runtimeError("cannot open recipe '\(path)': \(reason)")
        }
        guard let code = String(data: data, encoding: .utf8) else {
            return .runtimeError("cannot run '\(path)': not UTF-8 text (expected a Lua file)")
        }
        setArgTable(script: path, args: args)
        addRecipeLibrary(of: path)
        switch lua.load(Session.stripShebang(code), chunkName: "@" + path) {
        case .failure(let error): return .syntaxError(error.message)
        case .success: break
        }
        for a in args { lua.pushString(a) }
        return finish(lua.call(nargs: Int32(args.count)))
    }

    /// Recipes share modules in `lib/` beside them (recipes/lib/tune_file.lua): `require` finds
    /// them from any working directory, for `run` and the REPL's `:load` alike.
    func addRecipeLibrary(of script: String) {
        let dir = (script as NSString).deletingLastPathComponent
        let top = lua.top
        defer { lua.top = top }
        _ = lua.run("""
            local lib = ... .. "/lib/?.lua"
            if not package.path:find(lib, 1, true) then package.path = lib .. ";" .. package.path end
            """, chunkName: "=recipe library", args: [dir.isEmpty ? "." : dir])
    }

    public func setArgTable(script: String, args: [String]) {
        let t = lua.newTable()
        lua.pushString(script)
        lua.setIndex(t, 0)
        for (i, a) in args.enumerated() {
            lua.pushString(a)
            lua.setIndex(t, i + 1)
        }
        lua.setGlobal("arg")
    }

    private func finish(_ outcome: LuaState.Outcome) -> Evaluation {
        switch outcome {
        case .syntaxError(let m): return .syntaxError(m)
        case .runtimeError(let m):
            if Interrupt.requested || lua.lastErrorKind == .interrupted {
                Interrupt.clear()
                return .interrupted
            }
            return .runtimeError(m)
        case .ok(let n):
            let values = (0..<n).map { pretty(at: lua.top - n + 1 + $0) }
            lua.top -= n
            return .values(values)
        }
    }

    /// `pretty(value)` of the value at `index`, protected.
    public func pretty(at index: Int32) -> String {
        let abs = index > 0 ? index : lua.top + index + 1
        lua.getGlobal("pretty")
        lua.pushValue(abs)
        let text: String
        if lua.pcall(nargs: 1, nresults: 1) {
            text = lua.string(at: -1) ?? "?"
        } else {
            text = "<cannot show: \(lua.string(at: -1) ?? "?")>"
        }
        lua.pop()
        return text
    }

    /// How a chunk the REPL ran reads in a recipe: statements as typed; a bare expression such as
    /// `1 + 2` (not a statement) as `print(...)`, what the person saw.
    public func recipeForm(of code: String) -> String {
        let top = lua.top
        defer { lua.top = top }
        if case .success = lua.load(code, chunkName: "=check") { return code }
        return "print(\(code))"
    }

    static func isIncomplete(_ message: String) -> Bool { message.hasSuffix("<eof>") }

    static func stripShebang(_ code: String) -> String {
        guard code.hasPrefix("#") else { return code }
        // Keep the newline so line numbers stay right.
        return "--" + code
    }
}
