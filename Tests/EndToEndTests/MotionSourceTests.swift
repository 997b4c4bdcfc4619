import Foundation
import Testing

/// Issue 16 through the executable: up-conversion from Lua (cached across processes), motion
/// sources in animate.lua (a Lua file, an external command, a failing command), the new pad
/// strategies, and chained SVD segments on the tiny model.
@Suite(.serialized) struct MotionSourceTests {
    static let root = Executable.packageRoot.path
    static let animate = root + "/recipes/animate.lua"

    func run(_ args: [String], in dir: URL) throws -> Executable.Result {
        try Executable.run(["--cache", dir.path + "/cache"] + args, directory: dir)
    }

    @Test func atFpsFromLuaIsCachedAcrossProcesses() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try TimelineRecipeTests.sh(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1", "pic.png"], in: dir)
        let code = """
            local kb = kenburns(image('pic.png'), {seconds = 2, fps = 7, size = '128x72', zoom = 1.3, pan = 'left'})
            local c, cached = kb:at_fps(30)
            local b = kb:at_fps(30, {method = 'blend'})
            local n = kb:at_fps('30000/1001', {method = 'none'})
            local m = kb:at_fps(30, {method = 'minterpolate'})
            print('mci', c.frames, c.fps, tostring(cached), b.frames, n.frames, m.frames)
            c:save_frames(...)
            print('same', rawequal(kb:at_fps(7), kb))
            """
        try code.write(to: dir.appendingPathComponent("up.lua"), atomically: true, encoding: .utf8)
        let a = try run(["run", "up.lua", "a"], in: dir)
        #expect(a.status == 0, "\(a.stderr)")
        // 14 frames at 7 fps span 13/7 s: floor(13 * 30 / 7) + 1 = 56 frames at 30 fps.
        #expect(a.stdout.contains("mci\t56\t30.0\tfalse\t56\t56\t56"), "\(a.stdout)")
        #expect(a.stdout.contains("same\ttrue"), "\(a.stdout)")
        let b = try run(["run", "up.lua", "b"], in: dir)
        #expect(b.stdout.contains("mci\t56\t30.0\ttrue"), "the second process takes it from the cache: \(b.stdout)")
        for f in ["frame_0001.png", "frame_0023.png", "frame_0056.png"] {
            let x = FileManager.default.contents(atPath: dir.path + "/a/" + f)
            #expect(x != nil && x == FileManager.default.contents(atPath: dir.path + "/b/" + f), "\(f) differs")
        }
    }

    /// A motion source written in Lua (recipes/motion/NAME.lua beside a copy of the recipes),
    /// the built-in kenburns one by name, and the new strategies through the whole recipe.
    @Test func aLuaMotionSourceWorksThroughAnimate() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let video = try TimelineRecipeTests.threeScenes(in: dir)
        _ = try TimelineRecipeTests.sh(["cp", "-r", Self.root + "/recipes", "recipes"], in: dir)
        try """
            -- A held still at 5 fps, a few frames long: padded, up-converted by the recipe.
            return function(scene, opts)
              return still(opts.image, 0.6, {fps = 5}), 'still ' .. scene.index .. ' of ' .. opts.scenes
            end
            """.write(to: dir.appendingPathComponent("recipes/motion/held.lua"), atomically: true, encoding: .utf8)
        let r = try run(["run", "recipes/animate.lua", video, "out.mp4", "--motion", "held", "--strategy", "loop_xfade",
                         "--interpolate", "blend"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("scene ") }
        #expect(lines.count == 3 && lines[2].contains("still 3 of 3 · loop_xfade"), "\(r.stdout)")
        #expect(try TimelineRecipeTests.probe("out.mp4", in: dir, "stream=nb_frames").hasPrefix("120\n"))

        let kb = try run(["run", Self.animate, video, "kb.mp4", "--motion", "kenburns"], in: dir)
        #expect(kb.status == 0 && kb.stdout.contains("kenburns"), "\(kb.stderr)")
        let missing = try run(["run", Self.animate, video, "x.mp4", "--motion", "nosuch"], in: dir)
        #expect(missing.status == 1 && missing.stderr.contains("no motion source 'nosuch'"), "\(missing.stderr)")
    }

    /// The shipped example command (ffmpeg's zoompan run as a tool), cached by command and
    /// still; and a failing command names the scene and says what the command said.
    @Test func aCommandMotionSourceIsCachedAndAFailureNamesTheScene() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let video = try TimelineRecipeTests.threeScenes(in: dir)
        let cmd = "sh \(Self.root)/recipes/motion/zoompan.sh {in} {out} {seconds}"
        let first = try run(["run", Self.animate, video, "a.mp4", "--motion-cmd", cmd], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("motion  3 clips made by the command, 0 from the cache"), "\(first.stdout)")
        let again = try run(["run", Self.animate, video, "b.mp4", "--motion-cmd", cmd], in: dir)
        #expect(again.stdout.contains("motion  0 clips made by the command, 3 from the cache"), "\(again.stdout)")
        // The command's videos are cache entries: counted and cleared with the clips.
        let info = try run(["-e", "print('entries', cache.info().entries); print('cleared', cache.clear()); print('left', cache.info().entries)"], in: dir)
        #expect(info.stdout.contains("entries\t3") && info.stdout.contains("cleared\t3") && info.stdout.contains("left\t0"), "\(info.stdout)")
        #expect(try TimelineRecipeTests.probe("b.mp4", in: dir, "stream=nb_frames").hasPrefix("120\n"))

        let bad = try run(["run", Self.animate, video, "c.mp4", "--motion-cmd", "sh -c 'echo no GPU here >&2; exit 3' {in} {out}"], in: dir)
        #expect(bad.status == 1, "\(bad.stdout)")
        #expect(bad.stderr.contains("scene 1/3") && bad.stderr.contains("exit status 3") && bad.stderr.contains("no GPU here"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/c.mp4"))
        let slow = try run(["run", Self.animate, video, "c.mp4", "--motion-cmd", "sh -c 'sleep 30' {out}", "--motion-timeout", "1"], in: dir)
        #expect(slow.status == 1 && slow.stderr.contains("scene 1/3") && slow.stderr.contains("longer than 1 s"), "\(slow.stderr)")
    }

    /// chain.lua's mechanics without a model: segments start from the previous one's last
    /// frame, are up-converted one by one (each a cache entry: the second run hits them all) and
    /// joined by cross-fades into a clip covering the length.
    @Test func chainExtendsFromTheLastFrameUntilCovered() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try TimelineRecipeTests.sh(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=96x64", "-frames:v", "1", "pic.png"], in: dir)
        try """
            package.path = '\(Self.root)/recipes/lib/?.lua;' .. package.path
            local chain = require('chain')
            local first = kenburns(image('pic.png'), {seconds = 1, fps = 7, zoom = 1.2, seed = 1})
            local calls, hits, raws = 0, 0, {[0] = first}
            local function gen(last, k)
              calls = calls + 1
              last:save('given' .. k .. '.png')
              raws[k] = kenburns(last, {seconds = 1, fps = 7, zoom = 1.1, seed = k + 10})
              return raws[k]
            end
            local function smooth(c)
              local u, hit = c:at_fps(25)
              if hit then hits = hits + 1 end
              return u
            end
            local c, n = chain.extend(first, 3, gen, {smooth = smooth})
            print('chain', n, calls, hits, c.frames, c.fps, c.duration >= 3)
            print('seeds', chain.seed(7, 0), chain.seed(7, 2))
            for k = 1, calls do raws[k - 1]:frame(-1):save('last' .. k .. '.png') end
            """.write(to: dir.appendingPathComponent("chain.lua"), atomically: true, encoding: .utf8)
        // 7 frames at 7 fps are 22 at 25 fps; joins of 6 frames; 3 s = 75 frames: 22 + 16·4 = 86.
        let a = try run(["run", "chain.lua"], in: dir)
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.contains("chain\t5\t4\t0\t86\t25.0\ttrue"), "\(a.stdout)")
        #expect(a.stdout.contains("seeds\t7\t200013"), "\(a.stdout)")
        for k in 1...4 {
            let given = FileManager.default.contents(atPath: dir.path + "/given\(k).png")
            #expect(given != nil && given == FileManager.default.contents(atPath: dir.path + "/last\(k).png"),
                    "segment \(k + 1) starts from segment \(k)'s last frame")
        }
        let b = try run(["run", "chain.lua"], in: dir)
        #expect(b.stdout.contains("chain\t5\t4\t5\t86"), "every segment from the cache: \(b.stdout)")
    }

    /// --strategy chain on the tiny model: each scene covered by several segments (each its
    /// own cache entry), a re-run generates nothing, and re-seeding one scene regenerates only
    /// that scene's segments.
    @Test(.enabled(if: SVDEndToEndTests.shimBuilt)) func chainCoversTheSceneFromCachedSegments() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let video = try TimelineRecipeTests.threeScenes(in: dir)
        let tune = dir.appendingPathComponent("ep.tune.lua")
        try "return { all = {\(SVDEndToEndTests.quick)} }".write(to: tune, atomically: true, encoding: .utf8)
        func animate(_ out: String) throws -> Executable.Result {
            try run(["run", Self.animate, video, out, "--model", SVDEndToEndTests.model, "--strategy", "chain"], in: dir)
        }
        let first = try animate("a.mp4")
        #expect(first.status == 0, "\(first.stderr)")
        // Tiny clips: 3 frames at 7 fps, 8 at 25 fps after mci; joins of 2 frames; 1.6 s = 40
        // frames: 1 + ceil((40 - 8) / 6) = 7 segments a scene.
        let lines = first.stdout.split(separator: "\n").filter { $0.hasPrefix("scene ") }
        #expect(lines.count == 3 && lines.allSatisfy { $0.contains("svd ×7 · chain") }, "\(first.stdout)")
        #expect(first.stdout.contains("svd     21 clips generated, 0 from the cache"), "\(first.stdout)")
        #expect(try TimelineRecipeTests.probe("a.mp4", in: dir, "stream=nb_frames").hasPrefix("120\n"))
        let again = try animate("b.mp4")
        #expect(again.stdout.contains("svd     0 clips generated, 21 from the cache"), "\(again.stdout)")
        try "return { all = {\(SVDEndToEndTests.quick)}, [2] = {seed = 42} }".write(to: tune, atomically: true, encoding: .utf8)
        let reseeded = try animate("c.mp4")
        #expect(reseeded.stdout.contains("svd     7 clips generated, 14 from the cache"), "\(reseeded.stdout)")
    }
}
