import CLuaSupport
import Errors

/// Ctrl-C as Swift sees it. Long work (decoding, generating, rendering) polls `requested` and
/// stops with `Interrupted`; the Lua hook stops Lua code by itself with an error of the same kind.
public enum Interrupt {
    public static var requested: Bool { plua_interrupt_pending() != 0 }

    public static func clear() { plua_interrupt_clear() }

    public static func check() throws {
        if requested { throw Interrupted() }
    }
}
