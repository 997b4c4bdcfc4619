import CLua
import CLuaSupport
import Errors
import LuaBridge
import Testing

final class Tracked {
    nonisolated(unsafe) static var alive = 0
    nonisolated(unsafe) static var closed = 0
    let name: String
    init(_ name: String) { self.name = name; Tracked.alive += 1 }
    deinit { Tracked.alive -= 1 }
}

func trackedClass() -> LuaClass<Tracked> {
    let cls = LuaClass<Tracked>("Tracked", describe: { "Tracked(\($0.name))" }, close: { _ in Tracked.closed += 1 })
    cls.field("name") { t, call in call.push(t.name) }
    cls.method("greet") { t, call in
        let whom = try call.string(2, "whom")
        return call.push("\(t.name) greets \(whom)")
    }
    return cls
}

func runValue(_ lua: LuaState, _ code: String) -> String? {
    guard case .ok(let n) = lua.run(code, chunkName: "=test"), n >= 1 else { return nil }
    defer { lua.top = 0 }
    return lua.string(at: -1)
}

func runError(_ lua: LuaState, _ code: String) -> String? {
    switch lua.run(code, chunkName: "=test") {
    case .ok: lua.top = 0; return nil
    case .syntaxError(let m), .runtimeError(let m): return m
    }
}

@Suite(.serialized) struct LuaBridgeTests {
    @Test func argumentErrorsHaveTheHouseShape() {
        let lua = LuaState()
        lua.register("pad") { call in
            _ = try call.number(1, "clip")
            _ = try call.optionalTable(2, "options")
            _ = try call.choice(3, "strategy", ["loop", "pingpong", "freeze"])
            return 0
        }
        #expect(runError(lua, "pad(1, 'x')")?.hasPrefix("test:1: pad: argument #2 (options): expected table, got string") == true)
        #expect(runError(lua, "pad(1, {}, 'lop')")?.hasPrefix("test:1: pad: argument #3 (strategy): expected 'loop', 'pingpong' or 'freeze', got 'lop'") == true)
        #expect(runError(lua, "pad()")?.contains("pad: argument #1 (clip): expected number, got no value") == true)
        #expect(runError(lua, "pad(1, {}, 'loop')") == nil)
    }

    @Test func stackStaysBalancedAfterErrors() {
        let lua = LuaState()
        lua.register("fail") { call in throw call.error("always fails") }
        let before = lua.top
        for _ in 0..<1000 {
            #expect(runError(lua, "fail(1, 2, 3)")?.contains("fail: always fails") == true)
        }
        #expect(lua.top == before)
        // The error crossed no Swift frame: a pcall in Lua catches it and the state goes on.
        #expect(runValue(lua, "local ok, e = pcall(fail); return tostring(ok) .. ' ' .. e") == "false fail: always fails")
    }

    @Test func swiftErrorsOfAnyKindBecomeLuaErrors() {
        struct Odd: Error {}
        struct Readable: UserFacingError {
            var kind: ErrorKind { .media }
            var message: String { "cannot open 'x.mp4': No such file or directory" }
        }
        let lua = LuaState()
        lua.register("odd") { _ in throw Odd() }
        lua.register("open") { _ in throw Readable() }
        #expect(runError(lua, "odd()")?.contains("odd: Odd()") == true)
        #expect(runError(lua, "open()")?.contains("open: cannot open 'x.mp4': No such file or directory") == true)
    }

    @Test func userdataFieldsMethodsAndGC() {
        let lua = LuaState()
        let cls = trackedClass()
        cls.install(in: lua)
        Tracked.alive = 0
        lua.register("make") { call in call.push(Tracked(try call.string(1, "name")), as: cls) }
        #expect(runValue(lua, "local t = make('ann'); return t.name") == "ann")
        #expect(runValue(lua, "return tostring(make('bob'))") == "Tracked(bob)")
        #expect(runValue(lua, "return make('cy'):greet('dee')") == "cy greets dee")
        #expect(runError(lua, "make('cy'):greet(4)")?.contains("Tracked:greet: argument #1 (whom): expected string, got number") == true)
        _ = lua.run("collectgarbage(); collectgarbage()", chunkName: "=gc")
        #expect(Tracked.alive == 0)
    }

    @Test func closeIsIdempotentAndUseAfterCloseIsClear() {
        let lua = LuaState()
        let cls = trackedClass()
        cls.install(in: lua)
        Tracked.closed = 0
        lua.register("make") { call in call.push(Tracked("x"), as: cls) }
        #expect(runValue(lua, "t = make(); t:close(); t:close(); return tostring(t)") == "Tracked (closed)")
        #expect(Tracked.closed == 1)
        #expect(runError(lua, "return t:greet('a')")?.contains("the Tracked is closed") == true)
        #expect(runValue(lua, "do local u <close> = make() end; return 'ok'") == "ok")
        #expect(Tracked.closed == 2)
    }

    @Test func pushSharedGivesOneUserdataPerObjectAndKeepsNothingAlive() {
        let lua = LuaState()
        let cls = trackedClass()
        cls.install(in: lua)
        Tracked.alive = 0
        var held: Tracked? = Tracked("kept")
        lua.register("get") { call in call.pushShared(held!, as: cls) }
        lua.register("drop") { _ in held = nil; return 0 }
        #expect(runValue(lua, "return tostring(get() == get() and rawequal(get(), get()))") == "true")
        // A closed userdata is not handed out again: the next one is new and usable.
        #expect(runValue(lua, "local a = get(); a:close(); local b = get(); return tostring(a ~= b) .. ' ' .. b.name") == "true kept")
        _ = lua.run("drop(); collectgarbage(); collectgarbage()", chunkName: "=gc")
        #expect(Tracked.alive == 0, "the cache holds its userdata weakly")
    }

    @Test func optionsAreReadRawAndTyposAreCaught() {
        let lua = LuaState()
        lua.register("detect") { call in
            let opts = try call.table(1, "options")
            try opts.checkKnown(["threshold", "min_scene_len"])
            let t = try opts.number("threshold") ?? 30
            let n = try opts.integer("min_scene_len") ?? 15
            return call.push("\(t) \(n)")
        }
        #expect(runValue(lua, "return detect({threshold = 27})") == "27.0 15")
        #expect(runError(lua, "detect({treshold = 27})")?.contains("detect: unknown option 'treshold'") == true)
        #expect(runError(lua, "detect({threshold = 'high'})")?.contains("detect: option 'threshold': expected number, got 'high'") == true)
        #expect(runError(lua, "detect({min_scene_len = 1.5})")?.contains("option 'min_scene_len': expected integer") == true)
        // A table with an __index that raises is never consulted: reads are raw.
        #expect(runValue(lua, "return detect(setmetatable({}, {__index = function() error('boom') end}))") == "30.0 15")
    }

    @Test func runtimeErrorsCarryATraceback() {
        let lua = LuaState()
        guard case .runtimeError(let message) = lua.run("local function f() error('deep') end\nf()", chunkName: "@x.lua") else {
            Issue.record("expected a runtime error"); return
        }
        #expect(message.hasPrefix("x.lua:1: deep"))
        #expect(message.contains("stack traceback:"))
    }
}
