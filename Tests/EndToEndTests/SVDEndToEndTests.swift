import Foundation
import Testing

/// SVD from Lua as a person uses it, on the tiny fixture model: resident models, the clip cache
/// across chunks and processes, per-scene re-rolls, Ctrl-C during a generation, and the errors.
/// The shim-dependent tests run when the shim is built (scripts/test builds it and sets
/// PODCAST_I2V_REQUIRE_SHIM=1, so there they cannot skip).
@Suite(.serialized) struct SVDEndToEndTests {
    static let root = Executable.packageRoot.path
    static let model = root + "/Tests/Fixtures/svd-tiny/model"
    static let still = root + "/Tests/Fixtures/svd-tiny/input.png"
    /// One rule for every SVD suite: where the product itself looks (`TorchShim.searchPaths`, which
    /// SVDServiceTests asks directly; here the executable is asked), or required by scripts/test.
    static let shimBuilt: Bool = {
        if ProcessInfo.processInfo.environment["PODCAST_I2V_REQUIRE_SHIM"] == "1" { return true }
        let r = try? Executable.run(["-e", "local ok, e = pcall(svd.load, '/nonexistent') print(e.kind)"])
        return r.map { $0.status == 0 && !$0.stdout.hasPrefix("shim_missing") } ?? false
    }()
    /// Small and quick: the tiny model's size, two steps.
    static let quick = "width = 96, height = 64, steps = 2"

    func lua(_ code: String, cache: URL, environment: [String: String] = [:]) throws -> Executable.Result {
        try Executable.run(["--cache", cache.path, "-e", code], environment: environment)
    }

    @Test func withoutTheShimSvdSaysHowToBuildItAndTheSessionGoesOn() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try lua("""
            local ok, e = pcall(svd.load, '\(Self.model)')
            print(e)
            print('alive', 1 + 1)
            """, cache: dir, environment: ["PODCAST_I2V_TORCH_SHIM": dir.path + "/missing/libpodcast_i2v_torch.so"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("PODCAST_I2V_TORCH_SHIM") && r.stdout.contains("scripts/build-torch-shim"), "\(r.stdout)")
        #expect(r.stdout.contains("alive\t2"))
    }

    @Test func badArgumentsSayWhatWasExpected() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try lua("""
            for _, f in ipairs({
              function() svd.load(42) end,
              function() svd.load('x', {device = 'tpu'}) end,
              function() svd.load('x', {dtpye = 'fp16'}) end,
              function() svd.generate('not an image') end,
              function() cache.dir('') end,
            }) do print((select(2, pcall(f)))) end
            """, cache: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(r.stdout)")
        guard lines.count == 5 else { return }
        #expect(lines[0].contains("svd.load: argument #1 (dir): expected string, got number"), "\(lines[0])")
        #expect(lines[1].contains("option 'device': expected 'cpu', 'cuda' or 'cuda:N', got 'tpu'"), "\(lines[1])")
        #expect(lines[2].contains("unknown option 'dtpye'"), "\(lines[2])")
        #expect(lines[3].contains("svd.generate: argument #1 (image): expected Image"), "\(lines[3])")
        #expect(lines[4].contains("cache.dir: argument #1 (path): expected a folder path"), "\(lines[4])")
    }

    @Test(.enabled(if: shimBuilt)) func aWrongModelFolderNamesWhatIsMissing() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(atPath: dir.path + "/not-a-model", withIntermediateDirectories: true)
        let r = try lua("""
            print((select(2, pcall(svd.load, '\(dir.path)/nowhere'))))
            print((select(2, pcall(svd.load, '\(dir.path)/not-a-model'))))
            print((select(2, pcall(svd.generate, image('\(Self.still)')))))
            """, cache: dir.appendingPathComponent("cache"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("svd.load: no folder"), "\(r.stdout)")
        #expect(r.stdout.contains("missing model_index.json"), "\(r.stdout)")
        #expect(r.stdout.contains("no model loaded: call svd.load(dir) first"), "\(r.stdout)")
    }

    /// The flow in one session: loading twice loads once, an identical generate is a
    /// cache hit, changing one scene's seed regenerates that scene only.
    @Test(.enabled(if: shimBuilt)) func reRollingOneSceneGeneratesOnlyThatScene() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try lua("""
            local m = svd.load('\(Self.model)')
            local again = svd.load('\(Self.model)/')
            assert(again.dir == m.dir and svd.stats().loads == 1, 'the same folder gives the resident model')
            assert(again == m, 'one userdata per resident model')
            local img = image('\(Self.still)')
            local seeds = {1, 2, 3}
            local function render()
              local clips = {}
              for i, s in ipairs(seeds) do clips[i] = svd(img, {seed = s, \(Self.quick), label = 'scene ' .. i}) end
              return clips
            end
            local first = render()
            local s = svd.stats()
            print('first', s.loads, s.generated, s.cache_hits)
            seeds[2] = 77
            local second = render()
            s = svd.stats()
            print('second', s.loads, s.generated, s.cache_hits)
            local c, cached = m:generate(img, {seed = 77, \(Self.quick)})
            print('again', cached, c.frames, c.width, c.height, tostring(c):match('cached') ~= nil)
            print('entries', cache.info().entries)
            """, cache: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("first\t1\t3\t0"), "\(r.stdout)")
        #expect(r.stdout.contains("second\t1\t4\t2"), "only scene 2 is generated again: \(r.stdout)")
        #expect(r.stdout.contains("again\ttrue\t3\t96\t64\ttrue"), "\(r.stdout)")
        #expect(r.stdout.contains("entries\t4"), "\(r.stdout)")
    }

    /// The cache outlives the process: a recipe run twice generates nothing the second time,
    /// and the cached frames are the generated ones, byte for byte.
    @Test(.enabled(if: shimBuilt)) func aRecipeRunTwiceGeneratesNothingTheSecondTime() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recipe = dir.appendingPathComponent("three.lua")
        try """
            local out = ...
            svd.load('\(Self.model)')
            local img = image('\(Self.still)')
            for i = 1, 3 do
              local c = svd(img, {seed = i, \(Self.quick)})
              c:save_frames(out .. '/scene' .. i)
            end
            local s = svd.stats()
            print('stats', s.generated, s.cache_hits)
            """.write(to: recipe, atomically: true, encoding: .utf8)
        let cache = dir.appendingPathComponent("cache").path
        let a = try Executable.run(["--cache", cache, "run", recipe.path, dir.path + "/a"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.contains("stats\t3\t0"), "\(a.stdout)")
        let b = try Executable.run(["--cache", cache, "run", recipe.path, dir.path + "/b"])
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("stats\t0\t3"), "\(b.stdout)")
        for scene in 1...3 {
            for frame in 1...3 {
                let name = "/scene\(scene)/frame_000\(frame).png"
                let x = FileManager.default.contents(atPath: dir.path + "/a" + name)
                let y = FileManager.default.contents(atPath: dir.path + "/b" + name)
                #expect(x != nil && x == y, "\(name) differs between the generated and the cached clip")
            }
        }
    }

    /// In a terminal: load, generate, Ctrl-C during a long generation, generate again without
    /// reloading.
    @Test(.enabled(if: shimBuilt && TmuxSession.available)) func ctrlCStopsAGenerationAndTheModelStays() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Progress on: the line is how the test knows the generation is under way.
        let cmd = "env -u PODCAST_I2V_NO_PROGRESS XDG_STATE_HOME='\(dir.path)/state' TERM=xterm-256color '\(Executable.path)' --cache '\(dir.path)/cache'"
        let t = try TmuxSession(command: cmd)
        #expect(t.waitFor("> ").ok, "no prompt")
        try t.type("m = svd.load('\(Self.model)'); img = image('\(Self.still)')")
        try t.type("c = svd(img, {seed = 5, \(Self.quick)}); print('made ' .. c.frames)")
        var r = t.waitFor("made 3", timeout: 60)
        #expect(r.ok, "first generation: \(r.screen)")
        try t.type("svd(img, {seed = 6, width = 96, height = 64, steps = 1000})")
        r = t.waitFor("denoise", timeout: 60)
        #expect(r.ok, "no progress line: \(r.screen)")
        try t.key("C-c")
        r = t.waitFor("interrupted", timeout: 20)
        #expect(r.ok, "Ctrl-C during a generation: \(r.screen)")
        try t.type("c2, hit = svd(img, {seed = 7, \(Self.quick)}); s = svd.stats(); print(('after %d %d %s'):format(s.loads, s.generated, m.loaded))")
        r = t.waitFor("after 1 2 true", timeout: 60)
        #expect(r.ok, "after Ctrl-C the model stays: \(r.screen)")
    }

    /// recipes/tune.lua as a recipe: every scene generated once, then one scene re-rolled: only
    /// that one is generated, the others come from the cache, and the seed is saved beside the video.
    @Test(.enabled(if: shimBuilt)) func tuneRecipeReRollsOneScene() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let video = try TimelineRecipeTests.threeScenes(in: dir)
        let cache = dir.appendingPathComponent("cache").path
        func tune(_ extra: [String]) throws -> Executable.Result {
            try Executable.run(["--cache", cache, "run", Self.root + "/recipes/tune.lua", video, Self.model,
                                "--steps", "2", "--width", "96", "--height", "64", "--out", "tuned.mp4"] + extra, directory: dir)
        }
        let first = try tune([])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("tune: 3 scenes, 3 generated, 0 from the cache"), "\(first.stdout)")
        #expect(first.stdout.contains("tune: wrote tuned.mp4 (3 scenes"), "\(first.stdout)")
        // Again with scene 2 re-rolled: the three come from the cache, then scene 2 alone is generated.
        let second = try tune(["2=99"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("tune: 3 scenes, 0 generated, 3 from the cache"), "\(second.stdout)")
        #expect(second.stdout.contains("scene 2: generated"), "\(second.stdout)")
        #expect(second.stdout.contains("tune: saved"), "\(second.stdout)")
        let saved = try String(contentsOfFile: dir.path + "/ep.tune.lua", encoding: .utf8)
        #expect(saved.contains("[2] = {") && saved.contains("seed = 99"), "\(saved)")
    }

    /// tune.lua's arguments are checked before any model is loaded (runs without the shim).
    @Test func tuneRecipeRefusesAnUnknownArgument() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Executable.run(["run", Self.root + "/recipes/tune.lua", "ep.mp4", Self.model, "--stpes", "2"], directory: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("tune: unknown argument '--stpes'"), "\(r.stderr)")
        let usage = try Executable.run(["run", Self.root + "/recipes/tune.lua", "ep.mp4"], directory: dir)
        #expect(usage.status == 1 && usage.stderr.contains("usage: podcast-i2v run recipes/tune.lua"), "\(usage.stderr)")
    }

    /// The batch flow of the issue: animate.lua with a model, then one scene's seed changed in
    /// the tune file next to the video: the re-run generates that scene only, and says so.
    @Test(.enabled(if: shimBuilt)) func animateRecipeRegeneratesOnlyTheTunedScene() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let video = try TimelineRecipeTests.threeScenes(in: dir)
        let tune = dir.appendingPathComponent("ep.tune.lua")
        let cache = dir.appendingPathComponent("cache").path
        func animate() throws -> Executable.Result {
            try Executable.run(["--cache", cache, "run", Self.root + "/recipes/animate.lua", video, "--model", Self.model],
                               directory: dir)
        }
        try "return { all = {\(Self.quick)} }".write(to: tune, atomically: true, encoding: .utf8)
        let first = try animate()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("svd     3 clips generated, 0 from the cache"), "\(first.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir.path + "/ep_animated.mp4"))

        try "return { all = {\(Self.quick)}, [2] = {seed = 99} }".write(to: tune, atomically: true, encoding: .utf8)
        let second = try animate()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("svd     1 clips generated, 2 from the cache"), "\(second.stdout)")
        let lines = second.stdout.split(separator: "\n").filter { $0.hasPrefix("scene ") }
        #expect(lines.count == 3 && lines[0].contains("svd (cached)") && !lines[1].contains("cached")
                && lines[2].contains("svd (cached)"), "\(lines)")

        // A wrong model folder is an error, not a silent fallback to kenburns.
        let wrong = try Executable.run(["--cache", cache, "run", Self.root + "/recipes/animate.lua", video, "--model",
                                        dir.path + "/no-model"], directory: dir)
        #expect(wrong.status == 1 && wrong.stderr.contains("svd.load: no folder"), "\(wrong.stderr)")

        // A typo in the tune file is caught before anything is generated.
        try "return { [2] = {sed = 5} }".write(to: tune, atomically: true, encoding: .utf8)
        let typo = try animate()
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("entry [2]: unknown option 'sed'"), "\(typo.stderr)")
    }
}
