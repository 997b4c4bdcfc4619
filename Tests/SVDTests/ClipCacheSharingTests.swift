import Foundation
import Media
@testable import SVD
import Testing

/// The clip cache as a shared folder (issue 14): entries verified on read, concurrent writers of
/// the same and different keys, stale temporary files, the size cap, and an unwritable folder.
/// Most of it needs no model; the unwritable-folder test generates with the tiny fixture.
@Suite(.serialized) struct ClipCacheSharingTests {
    static func frames(_ n: Int, shift: Int) -> [Image] { (0..<n).map { Fixture.still(shift: shift + 11 * $0) } }
    static func key(_ i: Int) -> String { ContentHash.hex(of: "test key \(i)") }

    @Test func everyDamagedEntryIsAMissAndAStoreRepairsIt() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = ClipCache(directory: dir)
        let key = Self.key(1), other = Self.key(2)
        let frames = Self.frames(3, shift: 0)
        try cache.store(frames, fps: Rational(7), key: key)
        try cache.store(Self.frames(3, shift: 5), fps: Rational(7), key: other)
        let file = cache.url(for: key)
        let good = try Data(contentsOf: file)
        let header = ClipCacheEntry.headerSize
        var damages: [(String, Data)] = []
        func flipped(_ at: Int) -> Data { var d = good; d[at] ^= 0x01; return d }
        damages.append(("a payload bit", flipped(header + good.count / 2 - header / 2)))
        damages.append(("the last payload byte", flipped(good.count - 1)))
        damages.append(("the digest", flipped(40)))
        damages.append(("the stored key", flipped(120)))
        damages.append(("the width", flipped(8)))
        damages.append(("the magic", flipped(0)))
        damages.append(("truncated by one byte", good.prefix(good.count - 1)))
        damages.append(("truncated to the header", good.prefix(header)))
        damages.append(("one byte appended", good + Data([0])))
        damages.append(("empty", Data()))
        damages.append(("another key's entry", try Data(contentsOf: cache.url(for: other))))
        var v1 = good
        v1.replaceSubrange(0..<8, with: Array("PI2VCLP1".utf8))
        damages.append(("a v1 entry", v1))
        var huge = good  // a count that would overflow the size arithmetic
        huge.replaceSubrange(16..<20, with: [0xFF, 0xFF, 0xFF, 0x7F])
        damages.append(("an absurd frame count", huge))
        for (what, bytes) in damages {
            try bytes.write(to: file)
            #expect(cache.clip(for: key) == nil, "\(what): returned")
        }
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)
        #expect(cache.clip(for: key) == nil, "a folder at the entry's path")
        try FileManager.default.removeItem(at: file)

        try cache.store(frames, fps: Rational(7), key: key)
        let clip = try #require(cache.clip(for: key))
        #expect(try clip.frame(2).pixels == frames[2].pixels)
        #expect(cache.info().entries == 2)
        return
    }

    /// An entry from before the fast checksum (v2: a SHA-256 of the payload) is still a hit, so
    /// an upgrade keeps its generated clips; its payload is still checked.
    @Test func aVersion2EntryIsReadAndChecked() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = ClipCache(directory: dir)
        let key = Self.key(3)
        let frames = Self.frames(2, shift: 3)
        let sha = ContentHash()
        for f in frames { sha.update(f.pixels) }
        var v2 = ClipCacheEntry.header(width: frames[0].width, height: frames[0].height, count: 2, fps: Rational(7),
                                       digest: sha.hex(), key: key)
        v2.replaceSubrange(0..<8, with: Array("PI2VCLP2".utf8))
        for f in frames { v2 += f.pixels }
        let file = cache.url(for: key)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(v2).write(to: file)
        let clip = try #require(cache.clip(for: key), "a v2 entry is a hit")
        #expect(try clip.frame(1).pixels == frames[1].pixels)
        v2[v2.count - 5] ^= 0x10
        try Data(v2).write(to: file)
        #expect(cache.clip(for: key) == nil, "a damaged v2 payload is a miss")
    }

    /// The checksum notices a change of a single byte anywhere in a frame, and a frame moved.
    @Test func theChecksumSeesEveryByteAndTheOrder() {
        let a = Self.frames(2, shift: 1)
        let base = FrameChecksum.combine(a.map { FrameChecksum.sum($0.pixels) })
        for at in [0, 1, 7, 8, 31, 32, a[0].pixels.count / 2, a[0].pixels.count - 1] {
            var p = a[0].pixels
            p[at] ^= 0x80
            #expect(FrameChecksum.combine([FrameChecksum.sum(p), FrameChecksum.sum(a[1].pixels)]) != base, "byte \(at)")
        }
        #expect(FrameChecksum.combine(a.reversed().map { FrameChecksum.sum($0.pixels) }) != base, "frames swapped")
        #expect(FrameChecksum.sum([1, 2, 3]) != FrameChecksum.sum([1, 2, 3, 0]), "a zero appended")
        #expect(base.count == 64)
    }

    /// Many writers of the same and different keys at once, with readers checking every hit
    /// against the frames its key stands for: no torn read, one whole entry per key, no
    /// temporary file left behind.
    @Test func concurrentWritersAndReadersOfTheSameKeys() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keys = 4
        let expected = (0..<keys).map { Self.frames(3, shift: $0 * 7) }
        final class Tally: @unchecked Sendable {
            let lock = NSLock()
            var hits = 0, wrong = 0, errors: [String] = []
            func add(hit: Bool, wrong w: Bool, error: String? = nil) {
                lock.lock(); defer { lock.unlock() }
                if hit { hits += 1 }
                if w { wrong += 1 }
                if let error { errors.append(error) }
            }
        }
        let tally = Tally()
        DispatchQueue.concurrentPerform(iterations: 48) { i in
            let cache = ClipCache(directory: dir)  // one per "process", as separate sessions have
            let k = i % keys
            if i % 3 == 0 {
                if let clip = cache.clip(for: Self.key(k)) {
                    let same = (0..<3).allSatisfy { (try? clip.frame($0).pixels) == expected[k][$0].pixels }
                    tally.add(hit: true, wrong: !same)
                }
            } else {
                do {
                    let clip = try cache.store(expected[k], fps: Rational(7), key: Self.key(k))
                    let same = (0..<3).allSatisfy { (try? clip.frame($0).pixels) == expected[k][$0].pixels }
                    tally.add(hit: false, wrong: !same)
                } catch {
                    tally.add(hit: false, wrong: false, error: "\(error)")
                }
            }
        }
        #expect(tally.errors.isEmpty, "\(tally.errors)")
        #expect(tally.wrong == 0)
        let cache = ClipCache(directory: dir)
        #expect(cache.info().entries == keys)
        for k in 0..<keys { #expect(cache.clip(for: Self.key(k)) != nil) }
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: dir.path + "/clips").filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func staleTemporaryFilesAreRemovedByALaterStoreFreshOnesAreKept() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = Self.key(3)
        let shard = dir.appendingPathComponent("clips/\(key.prefix(2))")
        try FileManager.default.createDirectory(at: shard, withIntermediateDirectories: true)
        let stale = shard.appendingPathComponent(".\(key).clip.tmp-4242-1"), fresh = shard.appendingPathComponent(".\(key).clip.tmp-4243-2")
        let unrelated = shard.appendingPathComponent(".notes.tmp-1-1")
        for f in [stale, fresh, unrelated] { try Data("half an entry".utf8).write(to: f) }
        // Written ten minutes ago: a writer killed mid-write (a live one writes in seconds).
        var times = [timespec(tv_sec: time(nil) - 600, tv_nsec: 0), timespec(tv_sec: time(nil) - 600, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, stale.path, &times, 0) == 0)
        #expect(utimensat(AT_FDCWD, unrelated.path, &times, 0) == 0)
        let cache = ClipCache(directory: dir)
        #expect(cache.clip(for: key) == nil)
        #expect(FileManager.default.fileExists(atPath: stale.path), "a lookup removes nothing")
        try cache.store(Self.frames(2, shift: 1), fps: Rational(7), key: Self.key(4))
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: fresh.path), "a writer may still be at work")
        #expect(FileManager.default.fileExists(atPath: unrelated.path), "not a cache file")
        #expect(cache.info().entries == 1, "temporary files are never entries")
    }

    @Test func theLimitDeletesTheClipsUsedLongestAgo() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = ClipCache(directory: dir)
        for i in 0..<4 {
            try cache.store(Self.frames(2, shift: i), fps: Rational(7), key: Self.key(10 + i))
            // Stored an hour, 50, 40, 30 minutes ago (no sleeping in tests).
            var t = [timespec(tv_sec: time(nil) - 3600 + 600 * i, tv_nsec: 0), timespec(tv_sec: time(nil) - 3600 + 600 * i, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, cache.url(for: Self.key(10 + i)).path, &t, 0) == 0)
        }
        let entryBytes = cache.info().bytes / 4
        #expect(cache.clip(for: Self.key(10)) != nil, "reading the oldest makes it the most recently used")
        #expect(cache.evict(toFit: entryBytes * 2) == 2)
        #expect(cache.clip(for: Self.key(10)) != nil && cache.clip(for: Self.key(13)) != nil)
        #expect(cache.clip(for: Self.key(11)) == nil && cache.clip(for: Self.key(12)) == nil)

        // With a limit set, each store applies it; the new clip stays even when alone too big.
        cache.limit = entryBytes / 2
        try cache.store(Self.frames(2, shift: 9), fps: Rational(7), key: Self.key(20))
        #expect(cache.info().entries == 1)
        #expect(cache.clip(for: Self.key(20)) != nil)
    }

    /// A cache folder that cannot be written: generation goes on uncached, with one warning for
    /// the session however many clips are made.
    @Test(.enabled(if: Fixture.runs)) func anUnwritableCacheFolderWarnsOnceAndGeneratesUncached() throws {
        let dir = try Fixture.temporaryDirectory()
        defer {
            chmod(dir.path + "/ro", 0o755)
            try? FileManager.default.removeItem(at: dir)
        }
        try Data("a file".utf8).write(to: dir.appendingPathComponent("file"))
        var folders = [dir.appendingPathComponent("file/cache")]  // under a file: cannot exist
        if getuid() != 0 {  // root writes through permissions: the read-only case needs a user
            try FileManager.default.createDirectory(atPath: dir.path + "/ro", withIntermediateDirectories: false)
            chmod(dir.path + "/ro", 0o555)
            folders.append(dir.appendingPathComponent("ro"))
        }
        for folder in folders {
            let service = SVDService(cacheDirectory: folder)
            var warnings: [String] = []
            service.warn = { warnings.append($0) }
            let model = try service.load(directory: Fixture.model, options: .init())
            for seed in [1, 2, 1] {
                var p = Fixture.params
                p.seed = UInt64(seed)
                let r = try service.generate(model, Fixture.still(), p) { false }
                #expect(!r.cached && r.frames.count == 3 && r.frames.width == 96)
                #expect(try r.frames.frame(2).pixels.count == 96 * 64 * 3)
            }
            #expect(warnings.count == 1, "\(warnings)")
            #expect(warnings.first?.contains(folder.path) == true && warnings.first?.contains("not cached") == true, "\(warnings)")
            #expect(service.generated == 3)
        }
    }
}
