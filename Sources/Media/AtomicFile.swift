import Errors
import Foundation

/// The one way podcast-i2v writes a file: to a hidden temporary name beside the target, then a
/// rename over it, so a reader (or a crash) never sees half a file and a failed write leaves
/// whatever was there before.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        // pid + a random part: two threads or processes writing the same name never share a temp.
        let tmp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
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

extension AtomicFile {
    /// A file written piece by piece at fixed offsets (from several threads at once: `pwrite`),
    /// under a temporary name until `commit` renames it over `path`; `discard` (or dropping an
    /// uncommitted writer) removes the temporary file, so a failed or interrupted write leaves
    /// whatever was at `path` before.
    public final class Writer: @unchecked Sendable {
        public let path: String
        private let tmp: String
        private var fd: Int32

        public init(path: String) throws {
            self.path = path
            let url = URL(fileURLWithPath: path)
            tmp = url.deletingLastPathComponent()
                .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
            fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw Failure(.io, "cannot write '\(path)': \(String(cString: strerror(errno)))") }
        }

        deinit { discard() }

        public func write(_ bytes: [UInt8], at offset: Int) throws {
            try bytes.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
                    if n < 0, errno == EINTR { continue }
                    guard n > 0 else { throw Failure(.io, "cannot write '\(path)': \(String(cString: strerror(errno)))") }
                    done += n
                }
            }
        }

        public func commit() throws {
            guard fd >= 0 else { throw Failure(.io, "cannot write '\(path)': the writer was discarded") }
            let closed = close(fd)
            fd = -1
            guard closed == 0, rename(tmp, path) == 0 else {
                let why = String(cString: strerror(errno))
                unlink(tmp)
                throw Failure(.io, "cannot write '\(path)': \(why)")
            }
        }

        public func discard() {
            guard fd >= 0 else { return }
            close(fd)
            fd = -1
            unlink(tmp)
        }
    }
}
