import CFFmpegSupport
import LuaBridge

/// A media failure in the house shape: the operation, the file, then FFmpeg's (or our) reason —
/// `open: cannot open 'a.mp4': No such file or directory`.
public struct MediaError: Error, UserFacingError, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    /// From an FFmpeg return code.
    public init(_ what: String, _ path: String?, code: Int32) {
        let reason = MediaError.reason(code)
        if let path { message = "\(what) '\(path)': \(reason)" } else { message = "\(what): \(reason)" }
    }

    public var userMessage: String { message }
    public var description: String { message }

    public static func reason(_ code: Int32) -> String {
        var buf = [CChar](repeating: 0, count: 256)
        return String(cString: pff_err2str(code, &buf, 256))
    }
}

/// FFmpeg's control-flow codes.
public enum AVCode {
    public static let again = pff_averror_eagain()
    public static let eof = pff_averror_eof()
}
