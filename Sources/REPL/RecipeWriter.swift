import Errors
import Foundation
import Media

/// Writes a session's journal as a recipe: atomically (temporary file, then rename), never over
/// an existing file unless asked to.
public enum RecipeWriter {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func write(_ chunks: [String], to path: String, replace: Bool) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) && !replace {
            throw Failure(description: "'\(path)' exists; use :save! \(path) to replace it")
        }
        let stamp = ISO8601DateFormatter().string(from: Date())
        var text = "-- podcast-i2v recipe saved from a REPL session on \(stamp)\n"
        text += "-- run it with: podcast-i2v run \(path)\n\n"
        text += chunks.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
        do {
            try AtomicFile.write(text, to: path)
        } catch let error as UserFacingError {
            throw Failure(description: error.message)
        }
    }
}
