import CLua
import CLuaSupport

/// A table argument, read raw (no metamethod runs, so nothing can raise across Swift frames).
/// Options tables report their errors as `NAME: option 'threshold': expected number, got string`.
public struct LuaTable {
    public let call: LuaCall
    public let index: Int32
    public let what: String
    public let argument: Int32

    var L: OpaquePointer { call.L }

    /// Pushes t[key] (raw) and runs `body` with its stack index; pops it after.
    public func withField<R>(_ key: String, _ body: (Int32) throws -> R) rethrows -> R {
        luaPushString(L, key)
        lua_rawget(L, index)
        defer { plua_pop(L, 1) }
        return try body(lua_gettop(L))
    }

    public func withElement<R>(_ i: Int, _ body: (Int32) throws -> R) rethrows -> R {
        lua_rawgeti(L, index, lua_Integer(i))
        defer { plua_pop(L, 1) }
        return try body(lua_gettop(L))
    }

    public var arrayCount: Int { Int(lua_rawlen(L, index)) }

    public func has(_ key: String) -> Bool { withField(key) { call.type($0) != .nil } }

    private func fieldError(_ key: String, expected: String, at i: Int32) -> LuaError {
        call.error("option '\(key)': expected \(expected), got \(call.describe(i))")
    }

    public func string(_ key: String) throws -> String? {
        try withField(key) { i in
            switch call.type(i) {
            case .nil: return nil
            case .string: return luaString(L, i)
            default: throw fieldError(key, expected: "string", at: i)
            }
        }
    }

    public func number(_ key: String) throws -> Double? {
        try withField(key) { i in
            switch call.type(i) {
            case .nil: return nil
            case .number: return lua_tonumberx(L, i, nil)
            default: throw fieldError(key, expected: "number", at: i)
            }
        }
    }

    public func integer(_ key: String) throws -> Int? {
        try withField(key) { i in
            switch call.type(i) {
            case .nil: return nil
            case .number:
                var isInt: Int32 = 0
                let v = lua_tointegerx(L, i, &isInt)
                if isInt == 0 { throw fieldError(key, expected: "integer", at: i) }
                return Int(v)
            default: throw fieldError(key, expected: "integer", at: i)
            }
        }
    }

    public func boolean(_ key: String) throws -> Bool? {
        try withField(key) { i in
            switch call.type(i) {
            case .nil: return nil
            case .boolean: return lua_toboolean(L, i) != 0
            default: throw fieldError(key, expected: "boolean", at: i)
            }
        }
    }

    public func choice(_ key: String, _ choices: [String]) throws -> String? {
        try withField(key) { i in
            if call.type(i) == .nil { return nil }
            guard call.type(i) == .string, let s = luaString(L, i), choices.contains(s) else {
                throw fieldError(key, expected: quotedAlternatives(choices), at: i)
            }
            return s
        }
    }

    /// Keys of the table that are strings.
    public func stringKeys() -> [String] {
        var keys: [String] = []
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            plua_pop(L, 1)
            if lua_type(L, -1) == LUA_TSTRING, let k = luaString(L, -1) { keys.append(k) }
        }
        return keys
    }

    /// Fails on an option the primitive does not know: a typo must not pass silently.
    public func checkKnown(_ known: [String]) throws {
        for key in stringKeys().sorted() where !known.contains(key) {
            throw call.error("unknown option '\(key)' (known: \(known.joined(separator: ", ")))")
        }
    }
}

/// Fills a table that sits at `index` on the stack.
public struct LuaTableBuilder {
    let L: OpaquePointer
    public let index: Int32

    public func set(_ key: String, _ value: String) { luaPushString(L, value); setTop(key) }
    public func set(_ key: String, _ value: Double) { lua_pushnumber(L, value); setTop(key) }
    public func set(_ key: String, _ value: Int) { lua_pushinteger(L, lua_Integer(value)); setTop(key) }
    public func set(_ key: String, _ value: Bool) { lua_pushboolean(L, value ? 1 : 0); setTop(key) }
    public func set<T: AnyObject>(_ key: String, _ object: T, as cls: LuaClass<T>) {
        cls.push(object, on: L)
        setTop(key)
    }

    /// Pops the top value into t[key].
    public func setTop(_ key: String) {
        luaPushString(L, key)
        lua_rotate(L, -2, 1)
        lua_rawset(L, index)
    }

    /// Pops the top value into t[i].
    public func setTop(_ i: Int) { lua_rawseti(L, index, lua_Integer(i)) }
}
