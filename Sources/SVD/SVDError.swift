import Errors

/// An SVD failure a person can act on: what failed, and what to do about it.
public struct SVDError: UserFacingError {
    public let kind: ErrorKind
    /// The operation named at the message's front ("svd", "svd.load", "cache"), or nil.
    public let operation: String?
    /// The message without the operation.
    public let detail: String

    public init(operation: String? = nil, _ detail: String, kind: ErrorKind = .model) {
        self.kind = kind
        self.operation = operation
        self.detail = detail
    }

    public var message: String { operation.map { "\($0): \(detail)" } ?? detail }
}
