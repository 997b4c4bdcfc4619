import Foundation
import Media
@testable import SVD
import Testing

/// A lazily loaded model (issue #15): the cache key is known before the weights are read, so a
/// run served by the cache never loads them; the first miss loads them once, with the same key.
@Suite(.serialized, .enabled(if: Fixture.runs)) struct LazyModelTests {
    @Test func aLazyModelLoadsAtTheFirstMissAndKeysLikeALoadedOne() throws {
        let cacheDir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cacheDir) }
        let service = SVDService(cacheDirectory: cacheDir)
        let lazy = try service.load(directory: Fixture.model, options: .init(), lazy: true)
        #expect(lazy.isPending && !lazy.isLoaded && service.loads == 0)
        #expect(lazy.numFrames == 3, "from unet/config.json, as the shim reads it")

        let first = try service.generate(lazy, Fixture.still(), Fixture.params, shouldStop: { false })
        #expect(!first.cached && service.loads == 1 && lazy.isLoaded && !lazy.isPending)
        #expect(try service.load(directory: Fixture.model, options: .init(), lazy: true) === lazy)

        // A new session (process) over the same cache: every clip a hit, no load at all.
        let other = SVDService(cacheDirectory: cacheDir)
        let again = try other.load(directory: Fixture.model, options: .init(), lazy: true)
        let hit = try other.generate(again, Fixture.still(), Fixture.params, shouldStop: { false })
        #expect(hit.cached && other.loads == 0 && again.isPending)

        // An eager model makes the same key, so it hits what the lazy one stored.
        let eager = SVDService(cacheDirectory: cacheDir)
        let loaded = try eager.load(directory: Fixture.model, options: .init())
        #expect(ClipCache.key(model: loaded, image: Fixture.still(), params: withFrames(Fixture.params, 3))
                == ClipCache.key(model: again, image: Fixture.still(), params: withFrames(Fixture.params, 3)))
        #expect(try eager.generate(loaded, Fixture.still(), Fixture.params, shouldStop: { false }).cached)

        // Asking for it eagerly loads a pending model now.
        let third = SVDService(cacheDirectory: cacheDir)
        let p = try third.load(directory: Fixture.model, options: .init(), lazy: true)
        #expect(try third.load(directory: Fixture.model, options: .init()) === p)
        #expect(p.isLoaded && third.loads == 1)
    }

    @Test func modelFileHashesAreRememberedAndRecomputedWhenAFileChanges() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("model")
        try FileManager.default.copyItem(atPath: Fixture.model, toPath: model.path)
        let memo = dir.appendingPathComponent("memo")
        let folder = try ModelFolder(model.path)
        let a = try ModelIdentity.of(folder, variant: nil, memo: memo)
        let remembered = try FileManager.default.contentsOfDirectory(atPath: memo.path).count
        #expect(remembered >= 5, "one memo per file hashed")
        #expect(try ModelIdentity.of(folder, variant: nil, memo: memo) == a)
        #expect(try FileManager.default.contentsOfDirectory(atPath: memo.path).count == remembered, "the second run hashed nothing")

        // The same size, another content and mtime: a new hash, a new identity.
        let config = model.appendingPathComponent("unet/config.json")
        var text = try String(contentsOf: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"num_frames\": 3", with: "\"num_frames\": 4")
        try text.write(to: config, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: config.path)
        let b = try ModelIdentity.of(folder, variant: nil, memo: memo)
        #expect(b != a)
        #expect(try SVDModel.configuredFrames(model.path) == 4)
    }

    private func withFrames(_ p: GenerationParams, _ n: Int) -> GenerationParams {
        var p = p
        p.frames = n
        return p
    }
}
