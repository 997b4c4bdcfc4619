/// Ctrl-C: long work stops with this; the REPL recognises it by its kind and carries on.
public struct Interrupted: UserFacingError, Equatable {
    /// The words Lua's own `lua.c` uses, which people know.
    public static let text = "interrupted!"
    public init() {}
    public var kind: ErrorKind { .interrupted }
    public var message: String { Interrupted.text }
}
