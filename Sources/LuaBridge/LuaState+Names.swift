import CLua

/// Names that completion offers, read from the live state raw (no metamethod runs, nothing is
/// evaluated), so asking never has effects.
extension LuaState {
    public func globalNames() -> [String] {
        let lua = self
        lua.pushGlobals()
        defer { lua.pop() }
        return keys(ofTableAt: lua.top)
    }

    /// Member names of the value at `path` (from the globals): table keys, a table's `__index`
    /// table, a userdata's methods and fields.
    public func memberNames(of path: [String], methodsOnly: Bool) -> [String] {
        let lua = self
        let base = lua.top
        defer { lua.top = base }
        lua.pushGlobals()
        for name in path {
            guard lua.type(at: -1) == .table else { return [] }
            lua.pushString(name)
            lua_rawget(lua.L, -2)
        }
        var names: [String] = []
        let value = lua.top
        switch lua.type(at: value) {
        case .table:
            names += keys(ofTableAt: value, functionsOnly: methodsOnly)
            if lua_getmetatable(lua.L, value) != 0 {
                lua.pushString("__index")
                if lua_rawget(lua.L, -2) == LUA_TTABLE { names += keys(ofTableAt: lua.top, functionsOnly: methodsOnly) }
            }
        case .userdata:
            if lua_getmetatable(lua.L, value) != 0 {
                let mt = lua.top
                lua.pushString("__methods")
                if lua_rawget(lua.L, mt) == LUA_TTABLE { names += keys(ofTableAt: lua.top) }
                lua.pop()
                if !methodsOnly {
                    lua.pushString("__fields")
                    if lua_rawget(lua.L, mt) == LUA_TTABLE {
                        let t = lua.top
                        for k in 1...max(1, Int(lua_rawlen(lua.L, t))) where lua_rawlen(lua.L, t) > 0 {
                            lua_rawgeti(lua.L, t, lua_Integer(k))
                            if let s = lua.string(at: -1) { names.append(s) }
                            lua.pop()
                        }
                    }
                }
            }
        case .string:
            if methodsOnly {
                lua.getGlobal("string")
                if lua.type(at: -1) == .table { names += keys(ofTableAt: lua.top, functionsOnly: true) }
            }
        default: break
        }
        return names
    }

    private func keys(ofTableAt t: Int32, functionsOnly: Bool = false) -> [String] {
        let lua = self
        var names: [String] = []
        lua_pushnil(lua.L)
        while lua_next(lua.L, t) != 0 {
            let isFunction = lua.type(at: -1) == .function
            lua.pop()
            if lua.type(at: -1) == .string, let k = lua.string(at: -1), isIdentifier(k), !functionsOnly || isFunction {
                names.append(k)
            }
        }
        return names
    }

    private func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) }
    }
}
