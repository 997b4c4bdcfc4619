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
              podcast-i2v run recipes/animate.lua episode.mp4
              podcast-i2v -e 'return 1 + 2'
              echo 'print(version())' | podcast-i2v -
            """,
        version: "podcast-i2v \(Version.string) (\(Version.lua))",
        subcommands: [Run.self])

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
        commandName: "podcast-i2v run",
        abstract: "Run a Lua recipe: arg[0] is the file, arg[1..n] (and ...) its arguments.")

    @OptionGroup var cache: CacheOption

    @Argument(help: ArgumentHelp("The recipe to run.", valueName: "file.lua"))
    var file: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the recipe.", valueName: "args"))
    var args: [String] = []

    mutating func run() throws {
        cache.apply()
        let session = Session()
        try Runner.check(session.runFile(file, args: args), printValues: false)
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

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }
}
