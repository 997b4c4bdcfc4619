import CLua
import LuaAPI
import LuaBridge

/// Tab completion: globals and keywords, fields after `.`, methods after `:`. Reads the live
/// Lua state raw (no metamethod runs, nothing is evaluated), so completing never has effects.
public struct Completer {
    let session: Session

    public init(session: Session) { self.session = session }

    static let keywords = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function",
                           "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then",
                           "true", "until", "while"]

    /// For the text before the cursor: the UTF-8 offset where the completed word starts and the
    /// candidates (each a whole replacement of that word), sorted.
    public func complete(_ before: String) -> (start: Int, candidates: [String]) {
        let bytes = Array(before.utf8)
        var i = bytes.count
        func isWord(_ c: UInt8) -> Bool { c == 95 || (c >= 48 && c <= 57) || (c | 32 >= 97 && c | 32 <= 122) }
        while i > 0, isWord(bytes[i - 1]) || bytes[i - 1] == 46 || bytes[i - 1] == 58 { i -= 1 }
        let chain = String(decoding: bytes[i...], as: UTF8.self)
        // `s[1].x`, `f().x` or a string's `.`: the thing before is not a plain name path.
        if i > 0, [UInt8(ascii: "]"), UInt8(ascii: ")"), UInt8(ascii: "\""), UInt8(ascii: "'")].contains(bytes[i - 1]) {
            return (bytes.count, [])
        }
        if chain.first.map({ $0.isNumber }) == true { return (bytes.count, []) }

        guard let sepIndex = chain.lastIndex(where: { $0 == "." || $0 == ":" }) else {
            let names = globalNames() + Completer.keywords
            return (i, Array(Set(names.filter { $0.hasPrefix(chain) })).sorted())
        }
        let path = chain[..<sepIndex].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let methodsOnly = chain[sepIndex] == ":"
        let partial = String(chain[chain.index(after: sepIndex)...])
        if path.contains(where: { $0.isEmpty || $0.contains(":") }) { return (bytes.count, []) }
        let start = bytes.count - partial.utf8.count
        let names = members(of: path, methodsOnly: methodsOnly)
        return (start, Array(Set(names.filter { $0.hasPrefix(partial) })).sorted())
    }

    private func globalNames() -> [String] {
        let lua = session.lua
        lua.pushGlobals()
        defer { lua.pop() }
        return keys(ofTableAt: lua.top)
    }

    /// Member names of the value at `path` (from the globals): table keys, a table's `__index`
    /// table, a userdata's methods and fields.
    private func members(of path: [String], methodsOnly: Bool) -> [String] {
        let lua = session.lua
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
        let lua = session.lua
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
