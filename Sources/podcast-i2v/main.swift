import ArgumentParser
import Foundation

/// Parses and runs one command the ArgumentParser way, but with the exit statuses of `lua` and the
/// shells: usage errors exit 2 (not ArgumentParser's 64).
func execute<C: ParsableCommand>(_ type: C.Type, _ arguments: [String]) -> Never {
    do {
        var command = try type.parseAsRoot(arguments)
        try command.run()
        exit(0)
    } catch {
        let code = type.exitCode(for: error)
        let message = type.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { print(message) }
            exit(0)
        }
        if let exitCode = error as? ExitCode { exit(exitCode.rawValue) }
        FileHandle.standardError.write(Data(("podcast-i2v: " + message + "\n").utf8))
        exit(code == .validationFailure ? 2 : code.rawValue)
    }
}

// A parent may hand us a blocked signal mask (Dispatch worker threads block nearly everything, and
// children spawned from them inherit it); Ctrl-C and SIGTERM must reach us whoever started us.
var unblocked = sigset_t()
sigemptyset(&unblocked)
sigprocmask(SIG_SETMASK, &unblocked, nil)

// `run` is dispatched here: the root command's optional `-` argument would otherwise take it.
// `--cache DIR` may come before `run` too, as a person writes it (`podcast-i2v --cache c run x.lua`).
var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.count >= 3, arguments[0] == "--cache", arguments[2] == "run" {
    arguments = ["run", "--cache", arguments[1]] + arguments[3...]
} else if arguments.count >= 2, arguments[0].hasPrefix("--cache="), arguments[1] == "run" {
    arguments = ["run", arguments[0]] + arguments[2...]
}
if arguments.starts(with: ["help", "run"]) {
    execute(Run.self, ["--help"])
}
if arguments.first == "run" {
    execute(Run.self, Array(arguments.dropFirst()))
}
if arguments.first == "recipes" {
    execute(Recipes.self, Array(arguments.dropFirst()))
}
execute(PodcastI2V.self, arguments)
