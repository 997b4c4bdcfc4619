/// An error a Lua primitive reports to the script. The message is what the person reads, in the
/// house shape: `pad: argument #3 (strategy): expected 'loop', 'pingpong' or 'freeze', got 'lop'`.
public struct LuaError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Anything that can say what went wrong in words a person can act on.
public protocol UserFacingError: Error {
    var userMessage: String { get }
}
