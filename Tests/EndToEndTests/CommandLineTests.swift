import Foundation
import Testing

@Suite struct CommandLineTests {
    @Test func expressionChunksPrintTheirValue() throws {
        #expect(try Executable.run(["-e", "return 1+2"]).stdout == "3\n")
        #expect(try Executable.run(["-e", "1+2"]).stdout == "3\n")
        let two = try Executable.run(["-e", "x = 20", "-e", "x * 2 + 2"])
        #expect(two.stdout == "42\n" && two.status == 0)
    }

    @Test func luaErrorsExitOneWithPositionAndTraceback() throws {
        let r = try Executable.run(["-e", "local t = nil\nreturn t.x"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("(command line):2: attempt to index a nil value (local 't')"))
        #expect(r.stderr.contains("stack traceback:"))
    }

    @Test func recipesGetTheirArguments() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recipe = dir.appendingPathComponent("args.lua")
        try "print(arg[0], #arg, ...)\n".write(to: recipe, atomically: true, encoding: .utf8)
        let r = try Executable.run(["run", recipe.path, "in.mp4", "--threshold", "27"])
        #expect(r.status == 0)
        #expect(r.stdout == "\(recipe.path)\t3\tin.mp4\t--threshold\t27\n")
    }

    @Test func recipeErrorsNameFileAndLine() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recipe = dir.appendingPathComponent("bad.lua")
        try "local x = 1\nlocal y = 2\nerror('scene 3 has no image')\n".write(to: recipe, atomically: true, encoding: .utf8)
        // Relative paths, as a person types them (Lua shortens long chunk names with '...').
        let r = try Executable.run(["run", "bad.lua"], directory: dir)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("bad.lua:3: scene 3 has no image"))
        #expect(r.stderr.contains("stack traceback:"))

        let syntax = dir.appendingPathComponent("syntax.lua")
        try "x = = 1\n".write(to: syntax, atomically: true, encoding: .utf8)
        let s = try Executable.run(["run", "syntax.lua"], directory: dir)
        #expect(s.status == 1)
        #expect(s.stderr.hasPrefix("syntax.lua:1: unexpected symbol near '='"))
    }

    @Test func missingRecipeIsAClearError() throws {
        let r = try Executable.run(["run", "/nonexistent/recipe.lua"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot open recipe '/nonexistent/recipe.lua': No such file or directory"))
    }

    @Test func usageErrorsExitTwo() throws {
        let r = try Executable.run(["--frobnicate"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("Unknown option '--frobnicate'"))
        #expect(try Executable.run(["run"]).status == 2)
        #expect(try Executable.run(["recipe.lua"]).stderr.contains("podcast-i2v run recipe.lua"))
    }

    @Test func helpAndVersion() throws {
        let help = try Executable.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: podcast-i2v") && help.stdout.contains("run"))
        let version = try Executable.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("podcast-i2v "))
    }

    @Test func dashRunsStandardInput() throws {
        let r = try Executable.run(["-"], stdin: "local a = 6\nprint(a * 7)\n")
        #expect(r.status == 0 && r.stdout == "42\n")
        let e = try Executable.run(["-"], stdin: "error('from stdin')\n")
        #expect(e.status == 1 && e.stderr.hasPrefix("stdin:1: from stdin"))
    }
}
