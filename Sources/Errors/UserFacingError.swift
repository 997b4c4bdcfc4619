/// An error a person can act on: a kind that code branches on, and a message in the house shape
/// `operation: what went wrong 'file': reason`.
public protocol UserFacingError: Error, CustomStringConvertible {
    var kind: ErrorKind { get }
    /// The whole message a person reads.
    var message: String { get }
    /// The operation the message names at its front ("mux", "svd.load", "cache"), so that a
    /// caller that names its own operation knows whether to add it; nil when it names none.
    var operation: String? { get }
}

extension UserFacingError {
    public var operation: String? { nil }
    public var description: String { message }
}
