import Foundation
import Testing

/// Many episodes without a cluster (issue #15): `animate.lua --shard I/N` runs side by side
/// fill the same cache as one run and the run without --shard only assembles (no model load);
/// batch.lua over folders and lists, its skip-if-newer and summary; the shard spec's errors.
/// scripts/test-slurm runs the same flow on a real Slurm cluster.
@Suite(.serialized) struct ShardBatchTests {
    static let root = Executable.packageRoot.path
    static let animate = root + "/recipes/animate.lua"
    static let batch = root + "/recipes/batch.lua"
    static let model = SVDEndToEndTests.model

    /// Two episodes of three scenes (different pictures: no clip is shared) with quick SVD
    /// settings in their tune files.
    static func episodes(in dir: URL) throws {
        func episode(_ name: String, _ a: String, _ b: String, _ c: String) throws {
            _ = try TimelineRecipeTests.sh(["ffmpeg", "-v", "error", "-y",
                "-f", "lavfi", "-i", "\(a)=size=192x108:rate=25:duration=1.6",
                "-f", "lavfi", "-i", "\(b)=size=192x108:rate=25:duration=1.6",
                "-f", "lavfi", "-i", c, "-f", "lavfi", "-i", "sine=frequency=300:duration=4.8",
                "-filter_complex", "[0:v][1:v][2:v]concat=n=3:v=1:a=0,format=yuv420p[v]",
                "-map", "[v]", "-map", "3:a", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", name + ".mp4"], in: dir)
            try "return { all = {\(SVDEndToEndTests.quick)} }".write(
                to: dir.appendingPathComponent(name + ".tune.lua"), atomically: true, encoding: .utf8)
        }
        try episode("epA", "testsrc2", "smptebars", "mandelbrot=size=192x108:rate=25,trim=duration=1.6")
        try episode("epB", "rgbtestsrc", "yuvtestsrc", "testsrc=size=192x108:rate=25:duration=1.6")
    }

    /// name -> content of every cached clip.
    static func entries(_ cache: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let clips = URL(fileURLWithPath: cache + "/clips")
        for case let url as URL in FileManager.default.enumerator(at: clips, includingPropertiesForKeys: nil)!
        where url.pathExtension == "clip" {
            result[url.lastPathComponent] = try Data(contentsOf: url)
        }
        return result
    }

    static func start(_ arguments: [String], log: URL, in dir: URL) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Executable.path)
        p.arguments = arguments
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["PODCAST_I2V_NO_PROGRESS"] = "1"
        p.environment = env
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let h = try FileHandle(forWritingTo: log)
        p.standardOutput = h
        p.standardError = h
        try p.run()
        return p
    }

    @Test func badShardSpecsAreClearErrors() throws {
        let cases: [(String, String)] = [
            ("3/2", "--shard: '3/2': shard 3 of 2 does not exist; expected I/N with whole numbers 1 <= I <= N"),
            ("0/0", "--shard: '0/0': the number of shards must be at least 1"),
            ("0/3", "--shard: '0/3': shard 0 of 3 does not exist"),
            ("two/3", "--shard: 'two/3': expected I/N"),
            ("1/2/3", "--shard: '1/2/3': expected I/N"),
            ("1.5/2", "--shard: '1.5/2': expected I/N"),
        ]
        for recipe in [Self.animate, Self.batch] {
            for (spec, message) in cases {
                let r = try Executable.run(["run", recipe, "ep.mp4", "--model", "m", "--shard", spec])
                #expect(r.status == 1 && r.stderr.contains(message), "\(recipe) --shard \(spec): \(r.stderr)")
            }
        }
        let noModel = try Executable.run(["run", Self.animate, "ep.mp4", "--shard", "1/2"])
        #expect(noModel.status == 1 && noModel.stderr.contains("--shard needs --model"), "\(noModel.stderr)")
        let missing = try Executable.run(["run", Self.batch, "/nonexistent/episodes"])
        #expect(missing.status == 1 && missing.stderr.contains("no such folder, list or video '/nonexistent/episodes'"),
                "\(missing.stderr)")
    }

    /// The split itself, from Lua: every scene has exactly one owner, counts within an episode
    /// differ by at most one, and the rotation moves the extra scene between episodes.
    @Test func theSplitIsStableAndBalanced() throws {
        let r = try Executable.run(["-e", """
            package.path = '\(Self.root)/recipes/lib/?.lua;' .. package.path
            local shard = require('shard')
            for _, n in ipairs({1, 2, 3, 7}) do
              for _, ep in ipairs({'a.mp4', '/x/b.mp4', 'c d.mp4'}) do
                local counts = {}
                for i = 1, n do counts[i] = 0 end
                for k = 1, 20 do
                  local owners = 0
                  for i = 1, n do
                    if shard.mine({index = i, count = n}, ep, k) then owners = owners + 1; counts[i] = counts[i] + 1 end
                  end
                  assert(owners == 1, 'one owner')
                end
                local lo, hi = math.huge, 0
                for i = 1, n do lo, hi = math.min(lo, counts[i]), math.max(hi, counts[i]) end
                assert(hi - lo <= 1, 'balanced')
              end
            end
            assert(shard.owner(5, '/a/ep.mp4', 3) == shard.owner(5, 'ep.mp4', 3), 'folders do not matter')
            local firsts = {}
            for i = 1, 40 do firsts[shard.owner(4, 'ep' .. i .. '.mp4', 1)] = true end
            assert(firsts[1] and firsts[2] and firsts[3] and firsts[4], 'rotated')
            print('ok')
            """])
        #expect(r.status == 0 && r.stdout.contains("ok"), "\(r.stderr)")
    }

    /// Three `--shard k/3` processes side by side fill the cache one process fills, each clip
    /// generated once; then the run without --shard assembles from the cache without loading
    /// the model, output identical to the one-process run's.
    @Test(.enabled(if: SVDEndToEndTests.shimBuilt)) func shardsSideBySideFillTheSameCacheAsOneRun() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.episodes(in: dir)
        let one = dir.appendingPathComponent("one").path, many = dir.appendingPathComponent("many").path

        let single = try Executable.run(["--cache", one, "run", Self.animate, "epA.mp4", "single.mp4", "--model", Self.model],
                                        directory: dir)
        #expect(single.status == 0, "\(single.stderr)")
        #expect(single.stdout.contains("svd     3 clips generated, 0 from the cache"), "\(single.stdout)")

        let procs = try (1...3).map { k in
            try Self.start(["--cache", many, "run", Self.animate, "epA.mp4", "--model", Self.model, "--shard", "\(k)/3"],
                           log: dir.appendingPathComponent("shard\(k).log"), in: dir)
        }
        var generated = 0
        for (i, p) in procs.enumerated() {
            p.waitUntilExit()
            let log = try String(contentsOf: dir.appendingPathComponent("shard\(i + 1).log"), encoding: .utf8)
            #expect(p.terminationStatus == 0, "\(log)")
            #expect(log.contains("shard   \(i + 1)/3: 1 of 3 scenes · 1 clips generated, 0 from the cache"), "\(log)")
            #expect(!log.contains("output  "), "a shard makes no output: \(log)")
            generated += log.split(separator: "\n").filter { $0.hasPrefix("scene ") && $0.hasSuffix(" svd") }.count
        }
        #expect(generated == 3)
        let a = try Self.entries(one), b = try Self.entries(many)
        // Three clips and their frames up-converted to the episode's rate (mci, cached too).
        #expect(a.count == 6 && a == b, "the shards' cache holds what one run's does: \(a.count) vs \(b.count) entries")
        #expect(try !FileManager.default.contentsOfDirectory(atPath: many + "/model-files").isEmpty,
                "the model files' hashes are remembered in the cache folder")

        let assemble = try Executable.run(["--cache", many, "run", Self.animate, "epA.mp4", "assembled.mp4", "--model", Self.model],
                                          directory: dir)
        #expect(assemble.status == 0, "\(assemble.stderr)")
        #expect(assemble.stdout.contains("svd     0 clips generated, 3 from the cache (\(many)) · model loads 0"),
                "\(assemble.stdout)")
        #expect(assemble.stdout.contains("loads at the first clip not cached"), "\(assemble.stdout)")
        let x = try Data(contentsOf: dir.appendingPathComponent("single.mp4"))
        let y = try Data(contentsOf: dir.appendingPathComponent("assembled.mp4"))
        #expect(x == y, "assembled from the shards' cache: the one-process output, byte for byte")

        // A shard run again finds its share cached and loads nothing.
        let again = try Executable.run(["--cache", many, "run", Self.animate, "epA.mp4", "--model", Self.model, "--shard", "2/3"],
                                       directory: dir)
        #expect(again.stdout.contains("1 of 3 scenes · 0 clips generated, 1 from the cache") && again.stdout.contains("model loads 0"),
                "\(again.stdout)")
    }

    /// batch.lua: the shards of all scenes of all episodes, the assembly without the model, the
    /// summary table, skipping what is up to date, a list file.
    @Test(.enabled(if: SVDEndToEndTests.shimBuilt)) func batchShardsAssemblesAndSkipsWhatIsUpToDate() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let eps = dir.appendingPathComponent("eps")
        try FileManager.default.createDirectory(at: eps, withIntermediateDirectories: true)
        try Self.episodes(in: eps)
        let cache = dir.appendingPathComponent("cache").path
        func batch(_ args: [String]) throws -> Executable.Result {
            try Executable.run(["--cache", cache, "run", Self.batch] + args + ["--model", Self.model], directory: dir)
        }
        var generated = 0
        for k in 1...2 {
            let r = try batch(["eps", "--shard", "\(k)/2"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("shard \(k)/2"), "\(r.stdout)")
            #expect(!FileManager.default.fileExists(atPath: eps.path + "/epA_animated.mp4"), "a shard makes no output")
            let total = r.stdout.split(separator: "\n").last { $0.hasPrefix("2 episodes") } ?? ""
            let numbers = total.split(separator: " ").compactMap { Int($0) }
            // "2 episodes  scenes  generated  cached  seconds  model loads N"
            #expect(numbers.count >= 4 && numbers[1] == 6, "\(total)")
            generated += numbers.count >= 4 ? numbers[2] : 0
        }
        #expect(generated == 6, "every scene of every episode is some shard's, once")

        let assemble = try batch(["eps"])
        #expect(assemble.status == 0, "\(assemble.stderr)")
        let lines = assemble.stdout.split(separator: "\n").map(String.init)
        let header = lines.firstIndex { $0.hasPrefix("episode ") && $0.contains("generated") && $0.hasSuffix("output") }
        #expect(header != nil, "\(assemble.stdout)")
        #expect(lines.contains { $0.hasPrefix("eps/epA.mp4") && $0.contains("     3          0       3 ") && $0.hasSuffix("eps/epA_animated.mp4") },
                "\(assemble.stdout)")
        #expect(lines.last?.hasPrefix("2 episodes") == true && lines.last?.hasSuffix("model loads 0") == true, "\(assemble.stdout)")
        #expect(FileManager.default.fileExists(atPath: eps.path + "/epB_animated.mp4"))

        // Up to date: both skipped; a newer tune file runs its episode again.
        let skip = try batch(["eps"])
        #expect(skip.stdout.split(separator: "\n").filter { $0.contains("up to date: ") }.count == 2, "\(skip.stdout)")
        let tune = eps.appendingPathComponent("epB.tune.lua")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: tune.path)
        try "epA.mp4\n# a comment\n\nepB.mp4\n".write(to: eps.appendingPathComponent("list.txt"), atomically: true, encoding: .utf8)
        let listed = try batch(["eps/list.txt"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("up to date: eps/./epA_animated.mp4") || listed.stdout.contains("up to date: eps/epA_animated.mp4"),
                "\(listed.stdout)")
        #expect(listed.stdout.contains("── episode 2/2: eps/./epB.mp4") || listed.stdout.contains("── episode 2/2: eps/epB.mp4"),
                "\(listed.stdout)")
        #expect(listed.stdout.contains("svd     0 clips generated, 3 from the cache"), "\(listed.stdout)")
    }
}
