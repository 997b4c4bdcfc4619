import Scenes
import Testing

/// The content detector through the `Detector` protocol, fed synthetic frames (no files).
struct ContentDetectorTests {
    /// A picture of one BGR colour, or any pixels; says its rows are unchanged only when told to.
    struct TestFrame: FrameRows {
        let width: Int, height: Int
        var pixels: [UInt8]
        var unchanged = false

        init(width: Int = 64, height: Int = 36, bgr: (UInt8, UInt8, UInt8)) {
            self.width = width; self.height = height
            pixels = (0..<width * height).flatMap { _ in [bgr.0, bgr.1, bgr.2] }
        }

        func rowsUnchanged(_ rows: [Int]) -> Bool { unchanged }

        func withRows(_ rows: [Int], _ body: (Int, UnsafePointer<UInt8>) -> Void) throws {
            pixels.withUnsafeBufferPointer { p in
                for (k, r) in rows.enumerated() { body(k, p.baseAddress! + r * width * 3) }
            }
        }
    }

    struct RowsReadWhenUnchanged: Error {}

    /// Runs `detector` over `frames` as `detect` does: every frame in order, then `finish`.
    static func run(_ detector: some Detector, _ frames: [TestFrame]) throws -> [Int] {
        var cuts: [Int] = []
        for (i, f) in frames.enumerated() { cuts += try detector.process(f, index: i) }
        return cuts + detector.finish(frameCount: frames.count)
    }

    static let black = TestFrame(bgr: (0, 0, 0)), white = TestFrame(bgr: (255, 255, 255))
    static let red = TestFrame(bgr: (0, 0, 255)), blue = TestFrame(bgr: (255, 0, 0))

    /// `count` frames: each run's frame from its start until the next run's.
    static func frames(_ count: Int, _ runs: [(start: Int, frame: TestFrame)]) -> [TestFrame] {
        (0..<count).map { i in runs.last(where: { $0.start <= i })!.frame }
    }

    @Test func identicalFramesGiveNoCut() throws {
        let d = ContentDetector()
        #expect(try ContentDetectorTests.run(d, Array(repeating: ContentDetectorTests.red, count: 60)).isEmpty)
        #expect(d.scores == Array(repeating: 0, count: 60))
        #expect(d.earliestPendingCut(next: 60) == 60)
    }

    @Test func aHardChangeCutsAtItsFirstFrame() throws {
        let d = ContentDetector(threshold: 30, minSceneLength: 15)
        let cuts = try ContentDetectorTests.run(d, ContentDetectorTests.frames(60, [(0, ContentDetectorTests.black), (20, ContentDetectorTests.white)]))
        #expect(cuts == [20])
        // Black to white: H and S stay 0, V moves 255; the default weights average the three.
        #expect(d.scores.count == 60)
        #expect(d.scores[20] == 85)
        #expect(d.scores.enumerated().allSatisfy { $0.offset == 20 || $0.element == 0 })
    }

    @Test func theCutIsReturnedWhenItsFrameIsProcessed() throws {
        let d = ContentDetector()
        let frames = ContentDetectorTests.frames(40, [(0, ContentDetectorTests.red), (25, ContentDetectorTests.blue)])
        for (i, f) in frames.enumerated() {
            #expect(try d.process(f, index: i) == (i == 25 ? [25] : []), "frame \(i)")
        }
        #expect(d.finish(frameCount: 40).isEmpty)
    }

    @Test func belowTheThresholdIsNoCut() throws {
        // Black to white scores 85: at the threshold is a cut (>=), above it none.
        let frames = ContentDetectorTests.frames(40, [(0, ContentDetectorTests.black), (20, ContentDetectorTests.white)])
        #expect(try ContentDetectorTests.run(ContentDetector(threshold: 85), frames) == [20])
        #expect(try ContentDetectorTests.run(ContentDetector(threshold: 85.5), frames).isEmpty)
        // Luma only: V moves 255.
        #expect(try ContentDetectorTests.run(ContentDetector(threshold: 255, weights: .lumaOnly), frames) == [20])
    }

    @Test func minSceneLengthIsRespected() throws {
        let (b, w) = (ContentDetectorTests.black, ContentDetectorTests.white)
        // A change 5 frames after frame 0 is too early: dropped.
        #expect(try ContentDetectorTests.run(ContentDetector(minSceneLength: 15), ContentDetectorTests.frames(60, [(0, b), (5, w)])).isEmpty)
        #expect(try ContentDetectorTests.run(ContentDetector(minSceneLength: 5), ContentDetectorTests.frames(60, [(0, b), (5, w)])) == [5])
        // Changes at 30, 40, 50 and 60, 10 frames apart: with 15 the later ones merge into one
        // cut at the last of them, reported once 15 calm frames have passed.
        let flashes = ContentDetectorTests.frames(120, [(0, b), (30, w), (40, b), (50, w), (60, b)])
        let d = ContentDetector(minSceneLength: 15)
        var got: [(frame: Int, cuts: [Int])] = []
        for (i, f) in flashes.enumerated() {
            let cuts = try d.process(f, index: i)
            if !cuts.isEmpty { got.append((i, cuts)) }
            if i == 45 { #expect(d.earliestPendingCut(next: 46) == 40) }
        }
        #expect(got.map(\.cuts) == [[30], [60]])
        #expect(got.map(\.frame) == [30, 75])
        #expect(try ContentDetectorTests.run(ContentDetector(minSceneLength: 10), flashes) == [30, 40, 50, 60])
        // A merge still pending at the end is lost, as in PySceneDetect (no post-processing).
        #expect(try ContentDetectorTests.run(ContentDetector(minSceneLength: 15), Array(flashes.prefix(70))) == [30])
    }

    @Test func unchangedRowsScoreZeroWithoutBeingRead() throws {
        struct Unreadable: FrameRows {
            let width = 64, height = 36
            func rowsUnchanged(_ rows: [Int]) -> Bool { true }
            func withRows(_ rows: [Int], _ body: (Int, UnsafePointer<UInt8>) -> Void) throws { throw RowsReadWhenUnchanged() }
        }
        let d = ContentDetector()
        _ = try d.process(ContentDetectorTests.white, index: 0)
        for i in 1..<20 { #expect(try d.process(Unreadable(), index: i).isEmpty) }
        // Frame 0 is always read, unchanged or not.
        #expect(throws: RowsReadWhenUnchanged.self) { try ContentDetector().process(Unreadable(), index: 0) }
        #expect(d.scores == Array(repeating: 0, count: 20))
    }

    @Test func downscaledFramesScoreAsTheSmallFrames() throws {
        // 512x288 is downscaled 2x (area), 640x360 by 2.5 (linear, some rows only): a solid colour stays solid.
        for (w, h) in [(512, 288), (640, 360)] {
            let b = TestFrame(width: w, height: h, bgr: (0, 0, 0)), r = TestFrame(width: w, height: h, bgr: (0, 0, 255))
            let d = ContentDetector()
            #expect(try ContentDetectorTests.run(d, ContentDetectorTests.frames(30, [(0, b), (16, r)])) == [16], "\(w)x\(h)")
            // Red from black: H 0 -> 0, S 0 -> 255, V 0 -> 255.
            #expect(d.scores[16] == 170, "\(w)x\(h)")
        }
    }
}
