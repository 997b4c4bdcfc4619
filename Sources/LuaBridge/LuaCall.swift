import CLua
import CLuaSupport

/// One call of a Swift primitive: its arguments, checked with messages of the house shape
/// `NAME: argument #2 (options): expected table, got string`, and its results.
public struct LuaCall {
    public let L: OpaquePointer
    public let name: String
    /// 1 for methods: `img:save(path)` calls path argument #1, as a person counts.
    public let selfOffset: Int32

    init(_ L: OpaquePointer, name: String) {
        self.L = L
        self.name = name
        self.selfOffset = name.contains(":") ? 1 : 0
    }

    public var state: LuaState { LuaState.owner(of: L)! }
    public var count: Int32 { lua_gettop(L) }

    public func type(_ i: Int32) -> LuaType { LuaType(rawValue: lua_type(L, i)) ?? .none }
    public func isNil(_ i: Int32) -> Bool { plua_isnoneornil(L, i) != 0 }
    public func typeName(_ i: Int32) -> String { String(cString: plua_typename_at(L, i)) }

    // MARK: errors

    public func error(_ message: String) -> LuaError { LuaError("\(name): \(message)") }

    public func argumentError(_ i: Int32, _ what: String, expected: String) -> LuaError {
        argumentError(i, what, expected: expected, got: describe(i))
    }

    public func argumentError(_ i: Int32, _ what: String, expected: String, got: String) -> LuaError {
        LuaError("\(name): argument #\(i - selfOffset) (\(what)): expected \(expected), got \(got)")
    }

    /// How a value reads in an error: `got string 'lop'` style for short scalars, else the type.
    public func describe(_ i: Int32) -> String {
        switch type(i) {
        case .none: return "no value"
        case .string:
            let s = luaString(L, i) ?? ""
            return s.count <= 40 ? "'\(s)'" : "string"
        case .number, .boolean:
            let type = typeName(i)  // before luaString, which turns a number on the stack into a string
            let text = luaString(L, i) ?? (lua_toboolean(L, i) != 0 ? "true" : "false")
            return "\(type) \(text == "-nan" ? "nan" : text)"  // C's printf writes NaN as "-nan"
        default: return typeName(i)
        }
    }

    // MARK: checked arguments

    public func string(_ i: Int32, _ what: String) throws -> String {
        guard type(i) == .string, let s = luaString(L, i) else {
            throw argumentError(i, what, expected: "string", got: typeName(i))
        }
        return s
    }

    public func optionalString(_ i: Int32, _ what: String) throws -> String? {
        isNil(i) ? nil : try string(i, what)
    }

    public func number(_ i: Int32, _ what: String) throws -> Double {
        guard type(i) == .number else { throw argumentError(i, what, expected: "number", got: typeName(i)) }
        return lua_tonumberx(L, i, nil)
    }

    public func optionalNumber(_ i: Int32, _ what: String) throws -> Double? {
        isNil(i) ? nil : try number(i, what)
    }

    public func integer(_ i: Int32, _ what: String) throws -> Int {
        guard type(i) == .number else { throw argumentError(i, what, expected: "integer", got: typeName(i)) }
        var isInt: Int32 = 0
        let v = lua_tointegerx(L, i, &isInt)
        guard isInt != 0 else { throw argumentError(i, what, expected: "integer", got: describe(i)) }
        return Int(v)
    }

    public func optionalInteger(_ i: Int32, _ what: String) throws -> Int? {
        isNil(i) ? nil : try integer(i, what)
    }

    public func boolean(_ i: Int32, _ what: String) throws -> Bool {
        guard type(i) == .boolean else { throw argumentError(i, what, expected: "boolean", got: typeName(i)) }
        return lua_toboolean(L, i) != 0
    }

    public func table(_ i: Int32, _ what: String) throws -> LuaTable {
        guard type(i) == .table else { throw argumentError(i, what, expected: "table", got: typeName(i)) }
        return LuaTable(call: self, index: lua_absindex(L, i), what: what, argument: i)
    }

    public func optionalTable(_ i: Int32, _ what: String) throws -> LuaTable? {
        isNil(i) ? nil : try table(i, what)
    }

    /// One of a fixed set of words, e.g. a strategy.
    public func choice(_ i: Int32, _ what: String, _ choices: [String]) throws -> String {
        guard type(i) == .string, let s = luaString(L, i), choices.contains(s) else {
            throw argumentError(i, what, expected: quotedAlternatives(choices), got: describe(i))
        }
        return s
    }

    /// The Swift object inside a userdata of class `cls`.
    public func object<T: AnyObject>(_ i: Int32, _ what: String, _ cls: LuaClass<T>) throws -> T {
        guard let object = try optionalObject(i, what, cls) else {
            throw argumentError(i, what, expected: cls.name, got: typeName(i))
        }
        return object
    }

    public func optionalObject<T: AnyObject>(_ i: Int32, _ what: String, _ cls: LuaClass<T>) throws -> T? {
        guard let slot = plua_test_object(L, i, cls.name) else { return nil }
        guard let raw = slot.pointee else { throw error("argument #\(i - selfOffset) (\(what)): the \(cls.name) is closed") }
        return Unmanaged<T>.fromOpaque(raw).takeUnretainedValue()
    }

    public func isObject<T: AnyObject>(_ i: Int32, _ cls: LuaClass<T>) -> Bool {
        plua_test_object(L, i, cls.name) != nil
    }

    // MARK: results

    @discardableResult public func push(_ s: String) -> Int32 { luaPushString(L, s); return 1 }
    @discardableResult public func push(_ v: Double) -> Int32 { lua_pushnumber(L, v); return 1 }
    @discardableResult public func push(_ v: Int) -> Int32 { lua_pushinteger(L, lua_Integer(v)); return 1 }
    @discardableResult public func push(_ v: Bool) -> Int32 { lua_pushboolean(L, v ? 1 : 0); return 1 }
    @discardableResult public func pushNil() -> Int32 { lua_pushnil(L); return 1 }
    /// The value at stack index `i` again, as a result: a primitive that changes nothing returns its argument itself.
    @discardableResult public func pushArgument(_ i: Int32) -> Int32 { lua_pushvalue(L, i); return 1 }

    @discardableResult
    public func push<T: AnyObject>(_ object: T, as cls: LuaClass<T>) -> Int32 {
        cls.push(object, on: L)
        return 1
    }

    /// Pushes the userdata already standing for `object` (see `LuaClass.pushShared`).
    @discardableResult
    public func pushShared<T: AnyObject>(_ object: T, as cls: LuaClass<T>) -> Int32 {
        cls.pushShared(object, on: L)
        return 1
    }

    /// Pushes a new table and returns a builder for it.
    public func newTable(arrayCount: Int = 0, fieldCount: Int = 0) -> LuaTableBuilder {
        lua_createtable(L, Int32(arrayCount), Int32(fieldCount))
        return LuaTableBuilder(L: L, index: lua_gettop(L))
    }
}

/// `'loop', 'pingpong' or 'freeze'`
public func quotedAlternatives(_ words: [String]) -> String {
    let quoted = words.map { "'\($0)'" }
    guard quoted.count > 1 else { return quoted.first ?? "nothing" }
    return quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
}
