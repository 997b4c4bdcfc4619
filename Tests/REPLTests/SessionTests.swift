import Foundation
import LuaAPI
import LuaBridge
@testable import REPL
import Testing

@Suite struct SessionTests {
    // (chunk, complete?) — incompleteness is decided by compiling, as lua.c does.
    static let chunks: [(String, Bool)] = [
        ("1 + 2", true), ("x = 1", true), ("function f()", false), ("function f() return 1 end", true),
        ("if x then", false), ("for i = 1, 3 do", false), ("t = {", false), ("t = {1, 2}", true),
        ("s = [[long", false), ("s = 'open", false /* lua.c reads on too; the next line then errors */), ("x = = 1", true /* a syntax error */), ("return", true),
        ("while false do end", true), ("local a = (", false), ("print('a'", false), ("--[[ comment", false),
        ("x = 1 +", false), ("end", true /* error */),
    ]

    @Test(arguments: chunks) func completeAndIncompleteInput(chunk: String, complete: Bool) {
        let session = Session()
        let result = session.evaluate(chunk)
        #expect((result != .incomplete) == complete, "\(chunk) → \(result)")
    }

    @Test func expressionsShowTheirValuesPretty() {
        let session = Session()
        #expect(session.evaluate("1 + 2") == .values(["3"]))
        #expect(session.evaluate("x = 5") == .values([]))
        #expect(session.evaluate("x, 'a'") == .values(["5", "\"a\""]))
        let nested = session.evaluate("{ name = 'scene', size = {w = 1920, h = 1080}, list = {1, 2, 3} }")
        #expect(nested == .values(["{ list = { 1, 2, 3 }, name = \"scene\", size = { h = 1080, w = 1920 } }"]))
    }

    @Test func prettyPrinterHandlesCyclesLongArraysAndWideTables() {
        let session = Session()
        guard case .values(let v) = session.evaluate("(function() local t = {1}; t.self = t; return t end)()") else { Issue.record(); return }
        #expect(v[0].contains("<cycle: table:"))
        guard case .values(let long) = session.evaluate("(function() local t = {} for i = 1, 100 do t[i] = i end return t end)()") else { Issue.record(); return }
        #expect(long[0].contains("... (60 more, 100 in all)"))
        guard case .values(let wide) = session.evaluate("{ alpha = string.rep('a', 30), beta = string.rep('b', 30), gamma = {1, 2} }") else { Issue.record(); return }
        #expect(wide[0] == "{\n  alpha = \"\(String(repeating: "a", count: 30))\",\n  beta = \"\(String(repeating: "b", count: 30))\",\n  gamma = { 1, 2 }\n}")
    }

    @Test func errorsKeepTheSession() {
        let session = Session()
        _ = session.evaluate("kept = 41")
        guard case .runtimeError(let m) = session.evaluate("error('oops')") else { Issue.record(); return }
        #expect(m.hasPrefix("stdin:1: oops"))
        #expect(session.evaluate("kept + 1") == .values(["42"]))
    }

    @Test func recipesGetArgAndVarargs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("r.lua").path
        try "#!/usr/bin/env podcast-i2v\nresult = arg[0] .. '|' .. table.concat({...}, ',') .. '|' .. arg[2]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let session = Session()
        #expect(session.runFile(path, args: ["a", "--b"]) == .values([]))
        #expect(session.evaluate("result") == .values(["\"\(path)|a,--b|--b\""]))
        guard case .runtimeError(let missing) = session.runFile(dir.appendingPathComponent("nope.lua").path, args: []) else { Issue.record(); return }
        #expect(missing.contains("cannot open recipe") && missing.contains("No such file or directory"))
    }

    @Test func recipeFormOfChunks() {
        let session = Session()
        #expect(session.recipeForm(of: "x = 1") == "x = 1")
        #expect(session.recipeForm(of: "print(1)") == "print(1)")
        #expect(session.recipeForm(of: "1 + 2") == "print(1 + 2)")
    }

    @Test func helpListsEveryPrimitiveAndShowsOne() {
        let session = Session()
        let repl = REPL(session: session, historyPath: nil)
        let overview = repl.help("")
        for doc in session.docs.all { #expect(overview.contains(doc.name)) }
        #expect(overview.contains(":save FILE.lua"))
        #expect(repl.help("sleep").hasPrefix("sleep(seconds)"))
        #expect(repl.help("nothing-like-this").hasPrefix("no help for 'nothing-like-this'"))
    }

    @Test func saveNeverOverwritesUnlessAsked() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-\(UUID().uuidString).lua").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try RecipeWriter.write(["x = 1"], to: path, replace: false)
        #expect(throws: RecipeWriter.Failure.self) { try RecipeWriter.write(["x = 2"], to: path, replace: false) }
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("x = 1"))
        try RecipeWriter.write(["x = 2"], to: path, replace: true)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("x = 2"))
    }

    @Test func historyPathFollowsXDG() {
        #expect(HistoryFile.path(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/podcast-i2v/history")
        #expect(HistoryFile.path(environment: ["HOME": "/h"]) == "/h/.local/state/podcast-i2v/history")
        #expect(HistoryFile.path(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]) == "/h/.local/state/podcast-i2v/history")
    }
}

@Suite struct CompleterTests {
    let session = Session()
    var completer: Completer { Completer(session: session) }

    @Test func globalsAndKeywords() {
        let (start, names) = completer.complete("x = ver")
        #expect(start == 4)
        #expect(names == ["version"])
        #expect(completer.complete("fun").candidates.contains("function"))
    }

    @Test func fieldsAfterDotAndMethodsAfterColon() {
        _ = session.evaluate("scene = { index = 1, image = 'x', info = { width = 3 } }")
        #expect(completer.complete("scene.in").candidates == ["index", "info"])
        #expect(completer.complete("scene.info.w").candidates == ["width"])
        #expect(completer.complete("string.fo").candidates == ["format"])
        #expect(completer.complete("s = ('x'):up").candidates == [])  // not a name path: nothing guessed
        _ = session.evaluate("str = 'abc'")
        #expect(completer.complete("str:up").candidates == ["upper"])
        let (start, _) = completer.complete("print(scene.in")
        #expect(start == "print(scene.".utf8.count)
    }

    @Test func userdataMethodsAndFields() {
        let cls = LuaClass<NSString>("Thing", describe: { $0 as String })
        cls.field("width") { _, call in call.push(1) }
        cls.method("save") { _, call in call.push(true) }
        session.install(cls)
        session.lua.register("thing") { call in call.push(NSString(string: "t"), as: cls) }
        _ = session.evaluate("t = thing()")
        #expect(completer.complete("t.").candidates == ["close", "save", "width"])
        #expect(completer.complete("t:s").candidates == ["save"])
    }
}
