import Foundation
import Media
@testable import SVD
import Testing

/// Processes sharing one cache folder (issue 14, for the cluster): the built `podcast-i2v`
/// generating the same and different clips at once, one killed midway; then kill -9 at random
/// moments of a generate-and-store loop. After each: every entry in the folder passes its checks,
/// and a later store removes what killed writers left. Rounds: PODCAST_I2V_CACHE_KILLS (default 6;
/// the figure was taken with 200).
enum BuiltExecutable {
    static var path: String {
        if let p = ProcessInfo.processInfo.environment["PODCAST_I2V_BIN"], !p.isEmpty { return p }
        return Fixture.root.appendingPathComponent(".build/debug/podcast-i2v").path
    }
    static var found: Bool { FileManager.default.isExecutableFile(atPath: path) }
}

@Suite(.serialized, .enabled(if: Fixture.runs))
struct ClipCacheProcessTests {
    static var executable: String { BuiltExecutable.path }
    static let still = Fixture.root.appendingPathComponent("Tests/Fixtures/svd-tiny/input.png").path
    static let quick = "width = 96, height = 64, steps = 1"

    static func start(_ code: String, cache: URL) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["--cache", cache.path, "-e", code]
        var env = ProcessInfo.processInfo.environment
        env["PODCAST_I2V_NO_PROGRESS"] = "1"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }

    static func script(seeds: String) -> String {
        """
        svd.load('\(Fixture.model)')
        local img = image('\(still)')
        for _, s in ipairs(\(seeds)) do
          local c, cached = svd(img, {seed = s, \(quick)})
          io.write('made ', s, ' ', c.frames, ' ', tostring(cached), '\\n'); io.flush()
        end
        """
    }

    /// Every entry file in the folder passes the reader's checks; returns (entries, temporaries).
    static func audit(_ dir: URL) -> (entries: Int, damaged: [String], temporaries: Int) {
        let cache = ClipCache(directory: dir)
        var damaged: [String] = []
        let urls = cache.entryURLs()
        for url in urls {
            let key = String(url.lastPathComponent.dropLast(ClipCache.suffix.count))
            if cache.clip(for: key) == nil { damaged.append(url.lastPathComponent) }
        }
        let temps = (try? FileManager.default.subpathsOfDirectory(atPath: dir.path + "/clips"))?.filter { $0.contains(".tmp-") }.count ?? 0
        return (urls.count, damaged, temps)
    }

    @Test func processesWritingTheSameAndDifferentClipsOneKilledMidway() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Three finish: seeds 1-3 shared by all, one seed each of their own.
        var runs = try (0..<3).map { i in try Self.start(Self.script(seeds: "{1, 2, 3, \(100 + i)}"), cache: dir) }
        // The fourth makes many clips and is killed once its first is stored.
        let (victim, victimOut) = try Self.start(Self.script(seeds: "{1, 2, 3, 200, 201, 202, 203, 204, 205, 206, 207}"), cache: dir)
        let firstLine = victimOut.fileHandleForReading.availableData
        #expect(String(decoding: firstLine, as: UTF8.self).hasPrefix("made"), "the victim made no clip")
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal)
        runs.append((victim, victimOut))
        for (p, out) in runs.prefix(3) {
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(text)")
            #expect(text.split(separator: "\n").count == 4, "\(text)")
        }
        let a = Self.audit(dir)
        #expect(a.damaged.isEmpty, "damaged entries: \(a.damaged)")
        #expect(a.entries >= 6, "seeds 1-3 and 100-102 at least: \(a.entries)")

        // A later session finds all of them cached, with the frames generating gives.
        let service = SVDService(cacheDirectory: dir)
        let model = try service.load(directory: Fixture.model, options: .init())
        let img = try Image.read(path: Self.still)
        for seed in [1, 2, 3, 100, 101, 102] {
            var p = Fixture.params
            p.steps = 1
            p.seed = UInt64(seed)
            let r = try service.generate(model, img, p) { false }
            #expect(r.cached, "seed \(seed) not cached")
            if seed == 2 {
                p.frames = 3
                let direct = try model.generate(img, p)
                for i in 0..<3 { #expect(try r.frames.frame(i).pixels == direct[i].pixels) }
            }
        }
    }

    @Test func killNineDuringGenerateAndStoreNeverLeavesADamagedEntry() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rounds = Int(ProcessInfo.processInfo.environment["PODCAST_I2V_CACHE_KILLS"] ?? "") ?? 6
        var killedWithTemporary = 0, made = 0
        var generator = SystemRandomNumberGenerator()
        for round in 0..<rounds {
            // Each round its own seeds, so every round writes new entries.
            let seeds = "{" + (0..<40).map { String(round * 1000 + $0) }.joined(separator: ",") + "}"
            let (p, out) = try Self.start(Self.script(seeds: seeds), cache: dir)
            // Wait for the first clip, then kill at a random moment of the next ones.
            let first = out.fileHandleForReading.availableData
            #expect(!first.isEmpty, "round \(round): no clip made")
            usleep(UInt32.random(in: 0...400_000, using: &generator))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            made += String(decoding: first, as: UTF8.self).split(separator: "\n").count
            let a = Self.audit(dir)
            #expect(a.damaged.isEmpty, "round \(round): damaged entries \(a.damaged)")
            if a.temporaries > 0 { killedWithTemporary += 1 }
        }
        // Whatever the kills left is removed by a later store once it is stale.
        let now = time(nil)
        for path in (try? FileManager.default.subpathsOfDirectory(atPath: dir.path + "/clips")) ?? [] where path.contains(".tmp-") {
            var t = [timespec(tv_sec: now - 3600, tv_nsec: 0), timespec(tv_sec: now - 3600, tv_nsec: 0)]
            _ = utimensat(AT_FDCWD, dir.path + "/clips/" + path, &t, 0)
        }
        try ClipCache(directory: dir).store([Fixture.still()], fps: Rational(7), key: ContentHash.hex(of: "after the kills"))
        let a = Self.audit(dir)
        #expect(a.temporaries == 0 && a.damaged.isEmpty)
        print("cache kill -9: \(rounds) kills, \(a.entries) entries, 0 damaged, \(killedWithTemporary) kills left a temporary file (removed later)")
        #expect(made >= rounds)
    }

    @Test func cacheLimitFromLua() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (p, out) = try Self.start("""
            print(cache.limit())
            for _, v in ipairs({-1, 0.5, 'x', true, 0/0}) do print((select(2, pcall(cache.limit, v)))) end
            svd.load('\(Fixture.model)')
            local img = image('\(Self.still)')
            for s = 1, 3 do svd(img, {seed = s, \(Self.quick)}) end
            local info = cache.info()
            print('limit', cache.limit(info.bytes // 3 + 1))
            print('entries', cache.info().entries)
            print('cached', select(2, svd(img, {seed = 3, \(Self.quick)})), select(2, svd(img, {seed = 1, \(Self.quick)})))
            print('off', cache.limit(false))
            """, cache: dir)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 10, "\(text)")
        guard lines.count == 10 else { return }
        #expect(lines[0] == "nil\t0")
        for i in 1...5 {
            #expect(lines[i].contains("cache.limit: argument #1 (bytes): expected a whole number of bytes >= 1 (or false: no limit)"), "\(lines[i])")
        }
        #expect(lines[6].hasPrefix("limit\t") && lines[6].hasSuffix("\t2"), "two of three clips deleted: \(lines[6])")
        #expect(lines[7] == "entries\t1")
        #expect(lines[8] == "cached\ttrue\tfalse", "the newest stays, the oldest went: \(lines[8])")
        #expect(lines[9] == "off\tnil\t0")
    }
}
