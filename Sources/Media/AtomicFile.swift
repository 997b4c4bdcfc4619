import Errors
import Foundation

/// The one way podcast-i2v writes a file: to a hidden temporary name beside the target, then a
/// rename over it, so a reader (or a crash) never sees half a file and a failed write leaves
/// whatever was there before.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        // host + pid + a random part: two threads or processes writing the same name never share a temp.
        TemporaryFiles.sweep(besides: path)
        let tmp = URL(fileURLWithPath: TemporaryFiles.path(for: path, tag: "tmp", suffix: "-\(UInt32.random(in: 0...UInt32.max))"))
        do {
            try data.write(to: tmp)
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw Failure(.io, "cannot write '\(path)': \(reason(of: error))")
        }
        guard rename(tmp.path, path) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw Failure(.io, "cannot write '\(path)': \(why)")
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// The operating system's words for a Foundation error (ENOSPC: "No space left on device").
    private static func reason(of error: Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return ns.localizedDescription
    }
}
