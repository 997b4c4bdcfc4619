import Foundation
import LuaBridge

/// Primitives that belong to no media layer.
enum CorePrimitives {
    static func register(in session: Session) {
        session.register(PrimitiveDoc(
            "sleep", "sleep(seconds)",
            "Waits; Ctrl-C stops it (a way to see that long work is interruptible).",
            example: "sleep(0.5)")) { call in
            let seconds = try call.number(1, "seconds")
            // A day at most: a longer wait is a mistake (1e12 would outlive the session).
            guard seconds >= 0, seconds <= 86_400 else {
                throw call.argumentError(1, "seconds", expected: "a number from 0 to 86400 (a day)", got: call.describe(1))
            }
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                try Interrupt.check()
                Thread.sleep(forTimeInterval: min(0.02, max(0, end.timeIntervalSinceNow)))
            }
            return 0
        }
        session.docs.add(PrimitiveDoc(
            "pretty", "pretty(value) -> string",
            "How the REPL shows a value: nested tables indented, cycles marked, long arrays cut.",
            example: "print(pretty({1, 2, {a = 3}}))"))
        session.register(PrimitiveDoc(
            "version", "version() -> string", "The version of podcast-i2v and of its Lua.")) { call in
            call.push("podcast-i2v \(Version.string) (\(Version.lua))")
        }
    }
}

public enum Version {
    public static let string = "0.1.0"
    public static let lua = "Lua 5.4"
}
