import LuaBridge

/// An SVD failure a person can act on: what failed, and what to do about it.
public struct SVDError: Error, UserFacingError, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var userMessage: String { message }
    public var description: String { message }
}
