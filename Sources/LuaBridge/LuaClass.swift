import CLua
import CLuaSupport

/// A Swift class exposed to Lua as userdata with a named metatable: methods under `__index`,
/// read-only fields, `__tostring`, `__gc`, `__close` and an idempotent `close()` (after which any
/// use is a clear error), as liolib.c does for files.
public final class LuaClass<T: AnyObject> {
    public typealias Method = (T, LuaCall) throws -> Int32
    public typealias Field = (T, LuaCall) throws -> Int32

    public let name: String
    public private(set) var methodNames: [String] = []
    public private(set) var fieldNames: [String] = []
    private var methods: [String: Method] = [:]
    private var fields: [String: Field] = [:]
    private let describe: (T) -> String
    private let onClose: ((T) -> Void)?

    public init(_ name: String, describe: @escaping (T) -> String, close: ((T) -> Void)? = nil) {
        self.name = name
        self.describe = describe
        self.onClose = close
    }

    public func method(_ name: String, _ body: @escaping Method) {
        methods[name] = body
        methodNames.append(name)
    }

    public func field(_ name: String, _ body: @escaping Field) {
        fields[name] = body
        fieldNames.append(name)
    }

    /// Creates the metatable in `state`; call once, after the methods and fields are declared.
    public func install(in state: LuaState) {
        let L = state.L
        guard plua_metatable(L, name) == 1 else { plua_pop(L, 1); return }
        let mt = lua_gettop(L)

        plua_newtable(L)
        let methodTable = lua_gettop(L)
        for key in methodNames {
            let body = methods[key]!
            let cls = self
            state.pushFunction("\(name):\(key)") { call in
                let object = try call.object(1, "self", cls)
                return try body(object, call)
            }
            setRaw(L, methodTable, key)
        }
        if !methods.keys.contains("close") {
            state.pushFunction("\(name):close") { [self] call in
                guard call.isObject(1, self) else { throw call.argumentError(1, "self", expected: self.name) }
                self.close(call, 1)
                return 0
            }
            setRaw(L, methodTable, "close")
        }
        setRaw(L, mt, "__methods")

        // Field names too, so that completion after `.` can offer them.
        lua_createtable(L, Int32(fieldNames.count), 0)
        for (i, key) in fieldNames.enumerated() {
            luaPushString(L, key)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
        setRaw(L, mt, "__fields")

        state.pushFunction("\(name).__index") { [self] call in
            guard let key = luaString(call.L, 2), call.type(2) == .string else { return call.pushNil() }
            if methods[key] != nil || key == "close" {
                lua_getmetatable(call.L, 1)
                luaPushString(call.L, "__methods")
                lua_rawget(call.L, -2)
                luaPushString(call.L, key)
                lua_rawget(call.L, -2)
                return 1
            }
            guard let getter = fields[key] else { return call.pushNil() }
            let object = try call.object(1, "self", self)
            return try getter(object, call)
        }
        setRaw(L, mt, "__index")

        state.pushFunction("\(name).__tostring") { [self] call in
            guard let slot = plua_test_object(call.L, 1, name) else { return call.push(name) }
            guard let raw = slot.pointee else { return call.push("\(name) (closed)") }
            return call.push(describe(Unmanaged<T>.fromOpaque(raw).takeUnretainedValue()))
        }
        setRaw(L, mt, "__tostring")

        state.pushFunction("\(name).__gc") { [self] call in close(call, 1); return 0 }
        setRaw(L, mt, "__gc")
        state.pushFunction("\(name).__close") { [self] call in close(call, 1); return 0 }
        setRaw(L, mt, "__close")

        plua_pop(L, 1)
    }

    private func close(_ call: LuaCall, _ i: Int32) {
        guard let slot = plua_test_object(call.L, i, name), let raw = slot.pointee else { return }
        slot.pointee = nil
        let object = Unmanaged<T>.fromOpaque(raw)
        onClose?(object.takeUnretainedValue())
        object.release()
    }

    /// Pushes `object` as a new userdata of this class (retained until closed or collected).
    public func push(_ object: T, on L: OpaquePointer) {
        _ = plua_new_object(L, Unmanaged.passRetained(object).toOpaque(), name)
    }

    /// Pushes `object` onto `state`'s stack.
    public func push(_ object: T, in state: LuaState) { push(object, on: state.L) }

    /// Pushes the userdata already standing for `object` in this state if there is one, else a
    /// new one that later calls will find: so two results that are the same Swift object are the
    /// same Lua value, and `==` holds. It keeps nothing alive: the userdata are held in a
    /// weak-valued registry table, keyed by the object's address (which cannot be reused while
    /// the userdata, retaining the object, is in the table); a closed one is replaced.
    public func pushShared(_ object: T, on L: OpaquePointer) {
        let raw = Unmanaged.passUnretained(object).toOpaque()
        let registry = plua_registryindex()
        let cacheName = "LuaClass.shared." + name
        if lua_getfield(L, registry, cacheName) != LUA_TTABLE {
            plua_pop(L, 1)
            plua_newtable(L)
            lua_createtable(L, 0, 1)
            luaPushString(L, "v")
            lua_setfield(L, -2, "__mode")
            lua_setmetatable(L, -2)
            lua_pushvalue(L, -1)
            lua_setfield(L, registry, cacheName)
        }
        lua_pushlightuserdata(L, raw)
        lua_rawget(L, -2)
        if let slot = plua_test_object(L, -1, name), slot.pointee == raw {
            plua_remove(L, -2)
            return
        }
        plua_pop(L, 1)
        push(object, on: L)
        lua_pushlightuserdata(L, raw)
        lua_pushvalue(L, -2)
        lua_rawset(L, -4)
        plua_remove(L, -2)
    }
}

private func setRaw(_ L: OpaquePointer, _ table: Int32, _ key: String) {
    luaPushString(L, key)
    lua_rotate(L, -2, 1)
    lua_rawset(L, table)
}
