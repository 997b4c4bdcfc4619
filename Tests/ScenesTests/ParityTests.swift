import Foundation
import Media
@testable import Scenes
import Testing

/// Cut lists, per-frame scores and middle frames equal PySceneDetect 0.7's on the committed
/// videos of Tests/Fixtures/scenes (made, with reference.json, by scripts/make-scene-fixtures).
struct ParityTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/scenes")

    struct Run: Decodable {
        let threshold: Double, min_scene_len: Int, luma_only: Bool
        let cuts: [Int], frames: Int, middles: [Int], scores: [Double]
    }
    struct Reference: Decodable { let videos: [String: [String: Run]] }

    static let reference: Reference = {
        let data = try! Data(contentsOf: dir.appendingPathComponent("reference.json"))
        return try! JSONDecoder().decode(Reference.self, from: data)
    }()

    static let videos = ["hardcuts.mp4", "noaudio720.mp4", "dissolve.mp4", "vertical.mp4", "area2x.mp4", "nocuts.mp4"]

    @Test(arguments: videos)
    func cutsAndScoresMatchPySceneDetect(_ video: String) throws {
        let runs = try #require(ParityTests.reference.videos[video])
        for (name, run) in runs.sorted(by: { $0.key < $1.key }) {
            var options = DetectOptions()
            options.threshold = run.threshold
            options.minSceneLength = run.min_scene_len
            options.weights = run.luma_only ? .lumaOnly : .default
            options.stills = false
            let result = try SceneDetector.detect(path: ParityTests.dir.appendingPathComponent(video).path, options: options)
            #expect(result.frameCount == run.frames, "\(video) \(name)")
            #expect(result.cuts == run.cuts, "\(video) \(name)")
            #expect(result.scores.count == run.scores.count, "\(video) \(name)")
            let worst = zip(result.scores, run.scores).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-9, "\(video) \(name): largest score difference \(worst)")
            let middles = result.scenes.map { Scene.middleFrame(start: $0.startFrame, stop: $0.stopFrame, fps: result.info.fps) }
            #expect(middles == run.middles, "\(video) \(name)")
        }
    }

    /// The still of each scene is its middle frame, decoded again from kept packets: compare
    /// with the same frame from a plain forward decode.
    @Test func stillsAreTheMiddleFrames() throws {
        let path = ParityTests.dir.appendingPathComponent("hardcuts.mp4").path
        let result = try SceneDetector.detect(path: path)
        #expect(result.scenes.count == 4)
        #expect(result.scenes.map(\.startFrame) == [0, 90, 150, 219])
        #expect(result.scenes.last?.stopFrame == 294)
        // Kept compressed until read; the detector and its file are gone by then.
        #expect(result.scenes.allSatisfy { $0.image?.isDeferred == true })
        let wanted = Dictionary(uniqueKeysWithValues: result.scenes.map {
            (Scene.middleFrame(start: $0.startFrame, stop: $0.stopFrame, fps: result.info.fps), $0.index)
        })
        let decoder = try VideoDecoder(path: path)
        var k = 0
        var checked = 0
        while let f = try decoder.nextFrame() {
            if let index = wanted[k] {
                let still = try #require(result.scenes[index - 1].image)
                #expect(still.width == 640 && still.height == 360)
                #expect(still.pixels == f.image.pixels, "scene \(index): still is not frame \(k)")
                checked += 1
            }
            k += 1
        }
        #expect(checked == 4)
    }

    /// `export` and `contact_sheet` decode each deferred still, write it, and let it go again.
    @Test func exportLetsDeferredStillsGoAfterWriting() throws {
        let path = ParityTests.dir.appendingPathComponent("hardcuts.mp4").path
        let result = try SceneDetector.detect(path: path)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-deferred-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SceneFiles.export(result.scenes, to: dir)
        _ = try ContactSheet().write(result.scenes, to: dir + "/sheet.png")
        #expect(result.scenes.allSatisfy { $0.image?.isDeferred == true })
        let back = try SceneFiles.import(from: dir)
        for (a, b) in zip(result.scenes, back) {
            #expect(a.image!.pixels == b.image!.pixels, "scene \(a.index)")
            #expect(a.image!.isDeferred == false && a.image!.unload())
        }
        // Changed pixels cannot be made again: the picture is no longer deferred.
        let still = result.scenes[0].image!
        still.pixels[0] ^= 0xFF
        #expect(!still.unload() && !still.isDeferred)
    }

    @Test func flashFilterTracesFromTheReference() {
        func run(_ above: Set<Int>, frames: Int) -> [Int] {
            var f = FlashFilter(minLength: 15)
            return (0..<frames).compactMap { f.filter(frame: $0, above: above.contains($0)) }
        }
        #expect(run([5, 40, 50, 100], frames: 200) == [40, 100])
        #expect(run([30, 40, 50, 60], frames: 200) == [30, 60])
        #expect(run(Set(30...35).union([120]), frames: 200) == [30, 120])
        #expect(run([30, 40, 190], frames: 200) == [30])
    }
}
