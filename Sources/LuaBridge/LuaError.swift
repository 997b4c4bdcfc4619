import Errors

/// An error a Lua primitive reports to the script. The message is what the person reads, in the
/// house shape: `pad: argument #3 (strategy): expected 'loop', 'pingpong' or 'freeze', got 'lop'`.
public struct LuaError: UserFacingError, Equatable {
    public let message: String
    public let kind: ErrorKind
    public init(_ message: String, kind: ErrorKind = .badArgument) {
        self.message = message
        self.kind = kind
    }
}
