import CLuaSupport

/// Ctrl-C as Swift sees it. Long work (decoding, generating, rendering) polls `requested` and
/// stops with `Interrupt.error`; the Lua hook stops Lua code by itself.
public enum Interrupt {
    public static var requested: Bool { plua_interrupt_pending() != 0 }

    public static func clear() { plua_interrupt_clear() }

    /// The error every interrupted primitive returns; the REPL recognises it.
    public static let message = "interrupted!"

    public static func check() throws {
        if requested { throw LuaError(message) }
    }
}
