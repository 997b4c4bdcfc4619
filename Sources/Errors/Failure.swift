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
