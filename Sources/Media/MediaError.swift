import CFFmpegSupport
import Errors

/// A media failure in the house shape: the operation, the file, then FFmpeg's (or our) reason —
/// `open: cannot open 'a.mp4': No such file or directory`.
public struct MediaError: UserFacingError {
    public let kind: ErrorKind
    /// The operation named at the message's front ("mux", "encode"), or nil: the caller's.
    public let operation: String?
    /// The message without the operation.
    public let detail: String
    /// The file concerned and FFmpeg's reason, where the error came from an FFmpeg call.
    public let file: String?
    public let reason: String?

    public init(operation: String? = nil, _ detail: String, kind: ErrorKind = .media) {
        self.kind = kind
        self.operation = operation
        self.detail = detail
        file = nil
        reason = nil
    }

    /// From an FFmpeg return code: `what 'path': reason`.
    public init(operation: String? = nil, _ what: String, _ path: String?, code: Int32) {
        let reason = MediaError.reason(code)
        kind = .media
        self.operation = operation
        detail = path.map { "\(what) '\($0)': \(reason)" } ?? "\(what): \(reason)"
        file = path
        self.reason = reason
    }

    public var message: String { operation.map { "\($0): \(detail)" } ?? detail }

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
