import CLua
import CLuaSupport
import Errors

/// Owns one Lua 5.4 state. Swift never raises a Lua error itself: primitives throw, the
/// dispatcher turns the throw into a return code, and a C trampoline raises after Swift returns.
public final class LuaState {
    public typealias Body = (LuaCall) throws -> Int32

    public let L: OpaquePointer
    private var primitives: [(name: String, body: Body)] = []

    public init() {
        guard let L = luaL_newstate() else { fatalError("lua: cannot allocate a state") }
        self.L = L
        luaL_openlibs(L)
        plua_install_error_type(L)
        plua_set_dispatcher(luaDispatch)
        plua_set_owner(L, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit { lua_close(L) }

    /// The state owning `L` (also from a coroutine: its extra space is copied from the main thread's).
    static func owner(of L: OpaquePointer) -> LuaState? {
        guard let raw = plua_get_owner(L) else { return nil }
        return Unmanaged<LuaState>.fromOpaque(raw).takeUnretainedValue()
    }

    // MARK: functions

    /// Pushes a Lua function whose body is Swift; `name` prefixes its argument errors.
    public func pushFunction(_ name: String, _ body: @escaping Body) {
        primitives.append((name, body))
        plua_push_primitive(L, Int32(primitives.count - 1))
    }

    /// Defines a global function.
    public func register(_ name: String, _ body: @escaping Body) {
        pushFunction(name, body)
        setGlobal(name)
    }

    fileprivate func dispatch(_ L: OpaquePointer, _ id: Int32) -> Int32 {
        guard id >= 0, Int(id) < primitives.count else {
            pushString("internal error: unknown primitive #\(id)")
            pushString(ErrorKind.other.rawValue)
            return -1
        }
        let (name, body) = primitives[Int(id)]
        let call = LuaCall(L, name: name)
        let message: String, kind: ErrorKind
        do {
            return try body(call)
        } catch is Interrupted {
            // Lua's own words, unprefixed, as lua.c prints them.
            (message, kind) = (Interrupted.text, .interrupted)
        } catch let error as LuaError {
            (message, kind) = (error.message, error.kind)
        } catch let error as UserFacingError {
            // An error that names its operation already ("svd.load: ...", "mux: ...") is not
            // prefixed again when that operation is this primitive's family.
            let family = LuaState.family(of: name)
            let named = error.operation.map { LuaState.family(of: $0) == family } ?? false
            (message, kind) = (named ? error.message : "\(name): \(error.message)", error.kind)
        } catch {
            (message, kind) = ("\(name): \(error)", .other)
        }
        lua_settop(L, 0)
        luaPushString(L, message)
        luaPushString(L, kind.rawValue)
        return -1
    }

    /// "svd" for "svd.load", "clip" for "clip:save".
    static func family(of name: String) -> Substring { name.prefix { $0 != "." && $0 != ":" } }

    // MARK: globals

    /// Pops the top value into the global `name` (raw: no metamethod may raise here).
    public func setGlobal(_ name: String) {
        lua_rawgeti(L, plua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        pushString(name)
        lua_rotate(L, -3, -1)  // globals, name, value
        lua_rawset(L, -3)
        plua_pop(L, 1)
    }

    /// Pushes the global `name` (raw) and returns its type.
    @discardableResult
    public func getGlobal(_ name: String) -> LuaType {
        lua_rawgeti(L, plua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        pushString(name)
        let type = lua_rawget(L, -2)
        plua_remove(L, -2)
        return LuaType(rawValue: type) ?? .none
    }

    public func pushGlobals() { lua_rawgeti(L, plua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS)) }

    // MARK: running code

    public enum Outcome: Equatable {
        case ok(results: Int32)      // results left on the stack
        case syntaxError(String)
        case runtimeError(String)    // with a traceback
    }

    /// Compiles `code`; leaves the function on the stack on success.
    public func load(_ code: String, chunkName: String) -> Result<Void, LuaError> {
        let status = code.withCString { ptr in
            plua_load(L, ptr, code.utf8.count, chunkName)
        }
        if status == LUA_OK { return .success(()) }
        let message = string(at: -1) ?? "syntax error"
        plua_pop(L, 1)
        return .failure(LuaError(message))
    }

    /// The kind of the error the last `call` stopped with (nil for none, or a plain `error("text")`).
    public private(set) var lastErrorKind: ErrorKind?

    /// Calls the function below `nargs` arguments with Ctrl-C armed and a traceback on error.
    /// Results stay on the stack; on error the stack is restored and the message returned.
    public func call(nargs: Int32 = 0, nresults: Int32 = plua_multret()) -> Outcome {
        let base = lua_gettop(L) - nargs - 1
        let status = plua_docall(L, nargs, nresults)
        lastErrorKind = status == LUA_OK ? nil : plua_last_error_kind(L).flatMap { ErrorKind(rawValue: String(cString: $0)) }
        if status == LUA_OK { return .ok(results: lua_gettop(L) - base) }
        let message = string(at: -1) ?? "(error object is not a string)"
        lua_settop(L, base)
        return .runtimeError(message)
    }

    /// Loads and runs a chunk, results left on the stack.
    public func run(_ code: String, chunkName: String, args: [String] = []) -> Outcome {
        switch load(code, chunkName: chunkName) {
        case .failure(let error): return .syntaxError(error.message)
        case .success: break
        }
        for arg in args { pushString(arg) }
        return call(nargs: Int32(args.count))
    }

    // MARK: stack

    public var top: Int32 {
        get { lua_gettop(L) }
        set { lua_settop(L, newValue) }
    }

    public func pop(_ n: Int32 = 1) { plua_pop(L, n) }

    public func type(at index: Int32) -> LuaType { LuaType(rawValue: lua_type(L, index)) ?? .none }

    public func typeName(at index: Int32) -> String { String(cString: plua_typename_at(L, index)) }

    public func string(at index: Int32) -> String? { luaString(L, index) }

    public func pushString(_ s: String) { luaPushString(L, s) }
}

/// Lua's basic types, as lua_type returns them.
public enum LuaType: Int32 {
    case none = -1, `nil` = 0, boolean, lightUserdata, number, string, table, function, userdata, thread
}

/// Reads a string (or a number, converted in place by Lua) without raising.
func luaString(_ L: OpaquePointer, _ index: Int32) -> String? {
    guard lua_type(L, index) == LUA_TSTRING || lua_type(L, index) == LUA_TNUMBER else { return nil }
    var len = 0
    guard let ptr = plua_tostring(L, index, &len) else { return nil }
    return ptr.withMemoryRebound(to: UInt8.self, capacity: len) {
        String(decoding: UnsafeBufferPointer(start: $0, count: len), as: UTF8.self)
    }
}

func luaPushString(_ L: OpaquePointer, _ s: String) {
    var s = s
    s.withUTF8 { buf in
        buf.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, buf.count) }
    }
}

private func luaDispatch(_ L: OpaquePointer?, _ id: Int32) -> Int32 {
    guard let L, let state = LuaState.owner(of: L) else { return -1 }
    return state.dispatch(L, id)
}

extension LuaState {
    public func pushValue(_ index: Int32) { lua_pushvalue(L, index) }

    /// Pushes a new table; returns its absolute index.
    @discardableResult
    public func newTable() -> Int32 {
        plua_newtable(L)
        return lua_gettop(L)
    }

    /// Pops the top value into t[key] (raw) where t is at `table`.
    public func setField(_ table: Int32, _ key: String) {
        let t = lua_absindex(L, table)
        pushString(key)
        lua_rotate(L, -2, 1)
        lua_rawset(L, t)
    }

    /// Pops the top value into t[i] (raw).
    public func setIndex(_ table: Int32, _ i: Int) { lua_rawseti(L, table, lua_Integer(i)) }

    /// Protected call without the Ctrl-C machinery (for short internal calls); true on success,
    /// leaving the results or the error message on the stack.
    public func pcall(nargs: Int32, nresults: Int32) -> Bool {
        plua_pcall(L, nargs, nresults, 0) == LUA_OK
    }
}
