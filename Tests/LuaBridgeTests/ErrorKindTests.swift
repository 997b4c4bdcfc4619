import Errors
import LuaBridge
import Testing

/// Lua code branches on `err.kind`, never on the words of a message.
struct ErrorKindTests {
    func value(_ lua: LuaState, _ code: String) -> String? {
        guard case .ok(let n) = lua.run(code, chunkName: "=test"), n >= 1 else { return nil }
        defer { lua.top -= n }
        return lua.string(at: -n)
    }

    func registerFailures(_ lua: LuaState) {
        lua.register("svd") { _ in throw Failure(.shimMissing, "the torch shim is not built", operation: "svd") }
        lua.register("bad") { call in throw call.argumentError(1, "strategy", expected: "'loop'", got: "'lop'") }
        lua.register("stop") { _ in throw Interrupted() }
        lua.register("odd") { _ in struct Odd: Error {}; throw Odd() }
    }

    @Test func everyKindReachesLuaAsAField() {
        let lua = LuaState()
        registerFailures(lua)
        #expect(value(lua, "local ok, e = pcall(svd); return e.kind") == "shim_missing")
        #expect(value(lua, "local ok, e = pcall(bad, 'lop'); return e.kind") == "bad_argument")
        #expect(value(lua, "local ok, e = pcall(stop); return e.kind") == "interrupted")
        #expect(value(lua, "local ok, e = pcall(odd); return e.kind") == "other")
        // A plain Lua error is a string: its `kind` is nil, so the same test works on both.
        #expect(value(lua, "local ok, e = pcall(error, 'x'); return tostring(e.kind)") == "nil")
        for kind in ErrorKind.allCases {
            lua.register("fail_\(kind.rawValue)") { _ in throw Failure(kind, "failed") }
            #expect(value(lua, "local ok, e = pcall(fail_\(kind.rawValue)); return e.kind") == kind.rawValue)
        }
    }

    @Test func errorObjectsReadAsTheirMessage() {
        let lua = LuaState()
        registerFailures(lua)
        #expect(value(lua, "local ok, e = pcall(svd); return tostring(e)") == "svd: the torch shim is not built")
        #expect(value(lua, "local ok, e = pcall(svd); return 'got ' .. e") == "got svd: the torch shim is not built")
        #expect(value(lua, "local ok, e = pcall(svd); return e.message") == "svd: the torch shim is not built")
        #expect(value(lua, "local ok, e = pcall(svd); return tostring(ok) .. ' ' .. e") == "false svd: the torch shim is not built")
        #expect(value(lua, "local ok, e = pcall(svd); return e:upper()") == "SVD: THE TORCH SHIM IS NOT BUILT")
        #expect(value(lua, "local ok, e = pcall(svd); return string.format('%s!', e)") == "svd: the torch shim is not built!")
        // The caller's position is in front, as luaL_error puts it.
        #expect(value(lua, "local ok, e = pcall(function() svd() end); return e.message")
                == "test:1: svd: the torch shim is not built")
    }

    @Test func theHostSeesTheKindOfAnUncaughtError() {
        let lua = LuaState()
        registerFailures(lua)
        guard case .runtimeError(let m) = lua.run("stop()", chunkName: "=test") else { Issue.record("no error"); return }
        #expect(m.hasPrefix("test:1: interrupted!"))
        #expect(lua.lastErrorKind == .interrupted)
        guard case .runtimeError = lua.run("svd()", chunkName: "=test") else { Issue.record("no error"); return }
        #expect(lua.lastErrorKind == .shimMissing)
        guard case .runtimeError = lua.run("error('plain')", chunkName: "=test") else { Issue.record("no error"); return }
        #expect(lua.lastErrorKind == nil)
        guard case .ok = lua.run("return 1", chunkName: "=test") else { Issue.record("error"); return }
        #expect(lua.lastErrorKind == nil)
    }

    @Test func anOperationIsNamedOnce() {
        let lua = LuaState()
        lua.register("svd.load") { _ in throw Failure(.model, "out of memory", operation: "svd") }
        lua.register("mux") { _ in throw Failure(.media, "libx264 failed", operation: "encode") }
        #expect(value(lua, "local ok, e = pcall(_G['svd.load']); return e.message") == "svd: out of memory")
        #expect(value(lua, "local ok, e = pcall(mux); return e.message") == "mux: encode: libx264 failed")
    }
}
