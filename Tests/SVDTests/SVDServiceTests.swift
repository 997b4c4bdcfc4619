import Errors
import Foundation
import Media
@testable import SVD
import Testing

/// The SVD layer on the tiny fixture model (Tests/Fixtures/svd-tiny): resident models, the clip
/// cache, cancellation and errors. Needs the shim (scripts/build-torch-shim); scripts/test sets
/// PODCAST_I2V_REQUIRE_SHIM=1 so that a missing shim fails instead of skipping.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let model = root.appendingPathComponent("Tests/Fixtures/svd-tiny/model").path
    static var shimFound: Bool { TorchShim.searchPaths().contains { FileManager.default.fileExists(atPath: $0) } }
    static var shimRequired: Bool { ProcessInfo.processInfo.environment["PODCAST_I2V_REQUIRE_SHIM"] == "1" }
    static var runs: Bool { shimFound || shimRequired }

    /// A 96x64 picture with structure (the tiny model's size).
    static func still(shift: Int = 0) -> Image {
        var px = [UInt8](repeating: 0, count: 96 * 64 * 3)
        for y in 0..<64 { for x in 0..<96 {
            let i = (y * 96 + x) * 3
            px[i] = UInt8((x * 2 + shift) & 255); px[i + 1] = UInt8(y * 3); px[i + 2] = UInt8((x ^ y) & 255)
        } }
        return Image(width: 96, height: 64, pixels: px)
    }

    static var params: GenerationParams {
        var p = GenerationParams()
        p.width = 96; p.height = 64; p.steps = 3; p.seed = 42
        return p
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-svd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

@Suite(.serialized, .enabled(if: Fixture.runs)) struct SVDServiceTests {
    @Test func loadingTwiceLoadsOnce() throws {
        let cacheDir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cacheDir) }
        let service = SVDService(cacheDirectory: cacheDir)
        let a = try service.load(directory: Fixture.model, options: .init())
        let b = try service.load(directory: Fixture.model + "/", options: .init())
        #expect(a === b)
        #expect(service.loads == 1)
        #expect(a.numFrames == 3)
        #expect(a.identity.count == 64)
        var bf16 = SVDModel.Options()
        bf16.dtype = "bf16"
        let c = try service.load(directory: Fixture.model, options: bf16)
        #expect(c !== a && service.loads == 2, "another dtype is another model")
        service.unload(c)
        #expect(!c.isLoaded)
        #expect(throws: SVDError.self) { try c.generate(Fixture.still(), Fixture.params) }
    }

    @Test func aSecondIdenticalGenerateIsACacheHitWithIdenticalFrames() throws {
        let cacheDir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cacheDir) }
        let service = SVDService(cacheDirectory: cacheDir)
        let model = try service.load(directory: Fixture.model, options: .init())
        let first = try service.generate(model, Fixture.still(), Fixture.params) { false }
        #expect(!first.cached)
        #expect(first.frames.count == 3 && first.frames.width == 96 && first.frames.height == 64)
        #expect(first.frames.fps == Rational(7))
        let second = try service.generate(model, Fixture.still(), Fixture.params) { false }
        #expect(second.cached)
        #expect((service.generated, service.cacheHits) == (1, 1))
        let r1 = first.frames, r2 = second.frames
        for i in 0..<3 { #expect(try r1.frame(i).pixels == r2.frame(i).pixels) }
        // The frames are the model's, not the input: generating directly gives the same.
        let direct = try model.generate(Fixture.still(), { var p = Fixture.params; p.frames = 3; return p }())
        #expect(try direct[2].pixels == r2.frame(2).pixels)

        // Another seed, another still or another parameter is another clip.
        var other = Fixture.params
        other.seed = 7
        #expect(try !service.generate(model, Fixture.still(), other) { false }.cached)
        #expect(try !service.generate(model, Fixture.still(shift: 1), Fixture.params) { false }.cached)
        var motion = Fixture.params
        motion.motion = 60
        #expect(try !service.generate(model, Fixture.still(), motion) { false }.cached)
        #expect(service.generated == 4)
        #expect(service.cache.info().entries == 4)

        // A new session over the same cache folder gets hits without generating.
        let again = SVDService(cacheDirectory: cacheDir)
        let m2 = try again.load(directory: Fixture.model, options: .init())
        #expect(try again.generate(m2, Fixture.still(), other) { false }.cached)
        #expect(again.generated == 0)
        #expect(again.cache.clear() == 4)
        #expect(again.cache.info().entries == 0)
    }

    @Test func cancellingStopsWithinAStepAndTheModelStaysUsable() throws {
        let cacheDir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cacheDir) }
        let service = SVDService(cacheDirectory: cacheDir)
        let model = try service.load(directory: Fixture.model, options: .init())
        var steps: [Int] = []
        do {
            _ = try model.generate(Fixture.still(), { var p = Fixture.params; p.steps = 10; return p }()) { stage, step, _ in
                if stage == "denoise" { steps.append(step) }
                return step < 2
            }
            Issue.record("a cancelled generation returned frames")
        } catch is Interrupted {
            // The kind Ctrl-C has everywhere: the REPL carries on after it.
        }
        #expect(steps.max() == 2, "stopped within one step: \(steps)")
        #expect(service.cache.info().entries == 0, "nothing cached for a cancelled generation")
        let frames = try service.generate(model, Fixture.still(), Fixture.params) { false }.frames
        #expect(frames.count == 3)
    }

    @Test func damagedOrHalfWrittenEntriesAreMisses() throws {
        let cacheDir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cacheDir) }
        let cache = ClipCache(directory: cacheDir)
        let frames = [Fixture.still(), Fixture.still(shift: 9)]
        let key = String(repeating: "ab", count: 32)
        let clip = try cache.store(frames, fps: Rational(7), key: key)
        #expect(try clip.frame(1).pixels == frames[1].pixels)
        let file = cacheDir.appendingPathComponent("clips/ab/\(key).clip")
        let data = try Data(contentsOf: file)
        try data.prefix(data.count - 10).write(to: file)
        #expect(cache.clip(for: key) == nil, "a truncated entry is a miss")
        // No temporary files stay behind, and they never count as entries.
        let names = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(names == ["\(key).clip"])
    }

    @Test func loadingErrorsNameWhatIsWrong() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = SVDService(cacheDirectory: dir.appendingPathComponent("cache"))
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        let missing = message { _ = try service.load(directory: dir.path + "/nope", options: .init()) }
        #expect(missing.contains("no folder") && missing.contains("nope"), "\(missing)")

        let copy = dir.appendingPathComponent("model")
        try FileManager.default.copyItem(atPath: Fixture.model, toPath: copy.path)
        try FileManager.default.removeItem(at: copy.appendingPathComponent("unet/config.json"))
        let noConfig = message { _ = try service.load(directory: copy.path, options: .init()) }
        #expect(noConfig.contains("missing unet/config.json"), "\(noConfig)")

        try FileManager.default.copyItem(atPath: Fixture.model + "/unet/config.json", toPath: copy.path + "/unet/config.json")
        try FileManager.default.removeItem(at: copy.appendingPathComponent("unet/diffusion_pytorch_model.safetensors"))
        let noWeights = message { _ = try service.load(directory: copy.path, options: .init()) }
        #expect(noWeights.contains("unet") && noWeights.contains("safetensors"), "\(noWeights)")

        var cuda = SVDModel.Options()
        cuda.device = "cuda"
        let noCuda = message { _ = try service.load(directory: Fixture.model, options: cuda) }
        #expect(noCuda.lowercased().contains("cuda"), "\(noCuda)")

        var bad = Fixture.params
        bad.width = 100
        let model = try service.load(directory: Fixture.model, options: .init())
        let badWidth = message { _ = try service.generate(model, Fixture.still(), bad) { false } }
        #expect(badWidth.contains("'width'") && badWidth.contains("multiple of 8"), "\(badWidth)")
        #expect(service.loads == 1)
    }
}
