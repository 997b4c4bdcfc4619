import Errors
import Foundation

/// The one way podcast-i2v writes a file: to a hidden temporary name beside the target, flushed to
/// the disk, then a rename over it, so a reader (or a crash, or kill -9) never sees half a file and
/// a failed write leaves whatever was there before. Plain POSIX calls: the reason of a failure is
/// the system's own words ("No space left on device").
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        // host + pid + a random part: two threads or processes writing the same name never share a temp.
        TemporaryFiles.sweep(besides: path)
        let tmp = TemporaryFiles.path(for: path, tag: "tmp", suffix: "-\(UInt32.random(in: 0...UInt32.max))")
        func fail(_ code: Int32) -> Failure {
            unlink(tmp)
            return Failure(.io, "cannot write '\(path)': \(String(cString: strerror(code)))")
        }
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(.io, "cannot write '\(path)': \(String(cString: strerror(errno)))") }
        var code: Int32 = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var done = 0
            while done < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    code = errno
                    return
                }
                done += n
            }
        }
        // A full disk may only show at fsync or close (delayed allocation, network folders).
        if code == 0, fsync(fd) != 0, errno != EINVAL { code = errno }
        if close(fd) != 0, code == 0, errno != EINTR { code = errno }
        if code != 0 { throw fail(code) }
        guard rename(tmp, path) == 0 else { throw fail(errno) }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
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
            fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
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

        /// `count` bytes written so far from `offset` (a digest over what was written, before commit).
        public func read(_ count: Int, at offset: Int) throws -> [UInt8] {
            var out = [UInt8](repeating: 0, count: count)
            let got = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            guard got == count else { throw Failure(.io, "cannot read back '\(path)' before writing it: \(String(cString: strerror(errno)))") }
            return out
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
