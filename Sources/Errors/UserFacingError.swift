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

/// A plain error of a given kind: for layers with no error type of their own.
public struct Failure: UserFacingError, Equatable {
    public let kind: ErrorKind
    public let message: String
    public let operation: String?

    public init(_ kind: ErrorKind, _ message: String, operation: String? = nil) {
        self.kind = kind
        self.message = operation.map { "\($0): \(message)" } ?? message
        self.operation = operation
    }
}

/// Ctrl-C: long work stops with this; the REPL recognises it by its kind and carries on.
public struct Interrupted: UserFacingError, Equatable {
    /// The words Lua's own `lua.c` uses, which people know.
    public static let text = "interrupted!"
    public init() {}
    public var kind: ErrorKind { .interrupted }
    public var message: String { Interrupted.text }
}
