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
