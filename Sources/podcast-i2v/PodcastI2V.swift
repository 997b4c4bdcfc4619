import ArgumentParser
import Foundation
import LuaAPI
import REPL

/// podcast-i2v: the REPL with no arguments on a terminal; `run FILE.lua`, `-e CHUNK` or `-`
/// (stdin) for batch work. Exit status: 0 success, 1 Lua error, 2 usage error.
struct PodcastI2V: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "podcast-i2v",
        abstract: "Bring static-image podcast videos to life, from an embedded Lua 5.4.",
        discussion: """
            With no arguments on a terminal, starts the REPL (:help lists the primitives).
            Examples:
              podcast-i2v run animate episode.mp4        (a recipe by name: podcast-i2v recipes lists them)
              podcast-i2v run recipes/animate.lua episode.mp4
              podcast-i2v -e 'return 1 + 2'
              echo 'print(version())' | podcast-i2v -
            """,
        version: "podcast-i2v \(Version.string) (\(Version.lua))",
        subcommands: [Run.self, Recipes.self])

    @Option(name: .customShort("e"), help: ArgumentHelp("Run a Lua chunk; an expression's value is printed.", valueName: "chunk"))
    var chunks: [String] = []

    @Argument(help: ArgumentHelp("'-' runs Lua from standard input.", valueName: "-"))
    var stdin: String?

    @OptionGroup var cache: CacheOption

    func validate() throws {
        if let stdin, stdin != "-" {
            throw ValidationError("unexpected argument '\(stdin)'; to run a recipe: podcast-i2v run \(stdin)")
        }
    }

    mutating func run() throws {
        cache.apply()
        let session = Session()
        for chunk in chunks {
            try Runner.check(session.evaluate(chunk, chunkName: "=(command line)"), printValues: true)
        }
        if stdin == "-" || (chunks.isEmpty && isatty(0) == 0) {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            let code = String(decoding: data, as: UTF8.self)
            session.setArgTable(script: "-", args: [])
            try Runner.check(session.evaluate(code, chunkName: "=stdin", expressionFirst: false), printValues: false)
        } else if chunks.isEmpty {
            REPL(session: session).run()
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        // "run", not "podcast-i2v run": completion scripts name functions after it. main.swift
        // parses `run` as a root of its own, so the usage line says the whole command.
        commandName: "run",
        abstract: "Run a Lua recipe: arg[0] is the file, arg[1..n] (and ...) its arguments.",
        usage: "podcast-i2v run [--cache <dir>] <recipe> [<args> ...]",
        discussion: """
            A name without '/' is looked up: the current folder (NAME, NAME.lua, recipes/NAME.lua), \
            then $PODCAST_I2V_RECIPES, then the installed recipes (PREFIX/share/podcast-i2v/recipes).
            """)

    @OptionGroup var cache: CacheOption

    @Argument(help: ArgumentHelp("The recipe to run: a path, or a name such as 'animate'.", valueName: "recipe"),
              completion: .custom { _ in RecipeLocator().list().filter { !$0.shadowed }.map(\.name) })
    var file: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the recipe.", valueName: "args"))
    var args: [String] = []

    mutating func run() throws {
        cache.apply()
        let path: String
        switch RecipeLocator().find(file) {
        case .found(let p): path = p
        case .notFound(let message): Runner.fail(message)
        }
        let session = Session()
        try Runner.check(session.runFile(path, args: args), printValues: false)
    }
}

/// `podcast-i2v recipes`: the recipes `run NAME` finds, where they are and what they do.
struct Recipes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipes",
        abstract: "List the recipes 'podcast-i2v run NAME' finds (current folder's recipes/, then installed ones).",
        usage: "podcast-i2v recipes [--paths]")

    @Flag(help: "Print the paths only.")
    var paths = false

    func run() throws {
        let locator = RecipeLocator()
        let entries = locator.list()
        if entries.isEmpty {
            print("no recipes found (looked in: \(locator.folders.dropFirst().joined(separator: ", ")))")
            return
        }
        let width = entries.map(\.name.count).max() ?? 0
        for e in entries {
            if paths { print(e.path); continue }
            let name = e.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(name)  \(e.summary)\(e.shadowed ? " (shadowed)" : "")\n\(String(repeating: " ", count: width))  \(e.path)")
        }
    }
}

/// `--cache DIR`: where generated clips are cached (default $XDG_CACHE_HOME/podcast-i2v).
struct CacheOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of the clip cache (default: $XDG_CACHE_HOME/podcast-i2v).", valueName: "dir"))
    var cache: String?

    /// The session reads it from the environment, as recipes' child processes would.
    func apply() {
        guard let cache else { return }
        let url = URL(fileURLWithPath: cache, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        setenv("PODCAST_I2V_CACHE", url.standardizedFileURL.path, 1)
    }
}

enum Runner {
    /// Prints a chunk's outcome the batch way; a Lua error becomes exit status 1.
    static func check(_ evaluation: Session.Evaluation, printValues: Bool) throws {
        switch evaluation {
        case .values(let values):
            if printValues && !values.isEmpty { print(values.joined(separator: "\t")) }
        case .incomplete:
            fail("unfinished chunk: the input ended before it was complete")
        case .syntaxError(let message), .runtimeError(let message):
            fail(message)
        case .interrupted:
            fail("interrupted")
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }
}
