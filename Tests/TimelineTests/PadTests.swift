import Foundation
import Media
import Testing
@testable import Timeline

@Suite struct PadTests {
    /// The source index of every frame of a pad, read through its reader.
    func indices(_ clip: any Clip) throws -> [Int] {
        let r = try clip.makeReader()
        return try (0..<clip.frameCount).map { TestMedia.index(ofLevel: Int(try r.frame($0).pixels[0])) }
    }

    @Test func everyStrategyFrameByFrame() throws {
        let src = TestMedia.indexClip(frames: 4, fps: 10)
        #expect(try indices(PadClip(src, seconds: 1.0, strategy: .loop)) == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1])
        #expect(try indices(PadClip(src, seconds: 1.0, strategy: .pingpong)) == [0, 1, 2, 3, 2, 1, 0, 1, 2, 3])
        #expect(try indices(PadClip(src, seconds: 1.0, strategy: .freeze)) == [0, 1, 2, 3, 3, 3, 3, 3, 3, 3])
        #expect(try indices(PadClip(src, seconds: 0.8, strategy: .stretch)) == [0, 0, 1, 1, 2, 2, 3, 3])
        // Longer than the scene: cut (stretch retimes instead).
        for s in [PadClip.Strategy.loop, .pingpong, .freeze] {
            #expect(try indices(PadClip(src, seconds: 0.3, strategy: s)) == [0, 1, 2])
        }
        #expect(try indices(PadClip(TestMedia.indexClip(frames: 8, fps: 10), seconds: 0.4, strategy: .stretch)) == [0, 2, 4, 6])
        // A one-frame clip holds.
        #expect(try indices(PadClip(TestMedia.indexClip(frames: 1, fps: 10), seconds: 0.5, strategy: .pingpong)) == [0, 0, 0, 0, 0])
    }

    @Test func everyStrategyThroughMux() throws {
        let src = TestMedia.indexClip(frames: 5, fps: 10)
        var o = MuxOptions()
        o.encoder = VideoEncoderSettings(crf: 0, preset: "ultrafast")
        let expected: [PadClip.Strategy: [Int]] = [
            .loop: [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1],
            .pingpong: [0, 1, 2, 3, 4, 3, 2, 1, 0, 1, 2, 3],
            .freeze: [0, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4],
            .stretch: [0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4],
        ]
        for (strategy, want) in expected {
            let out = TestMedia.path("pad-\(strategy.rawValue).mp4")
            let r = try Renderer.mux(PadClip(src, seconds: 1.2, strategy: strategy), audioFrom: nil, to: out, options: o)
            #expect(r.frames == 12)
            let got = try TestMedia.frameLevels(out).map(TestMedia.index(ofLevel:))
            #expect(got == want, "\(strategy)")
        }
    }

    @Test func concatPlacesPartsAtRoundedStarts() throws {
        // Parts of 0.33 s, 0.5 s, 0.27 s at 10 fps: starts 0, 0.33, 0.83 → frames 0, 3, 8; end 1.1 → 11.
        let parts: [any Clip] = [0.33, 0.5, 0.27].enumerated().map { i, s in
            StillClip(image: Image(width: 32, height: 32, red: UInt8(TestMedia.level(i)), green: UInt8(TestMedia.level(i)),
                                   blue: UInt8(TestMedia.level(i))), seconds: s, fps: Rational(25))
        }
        let schedule = Schedule(ConcatClip(parts), fps: Rational(10))
        #expect(schedule.parts.map(\.firstFrame) == [0, 3, 8])
        #expect(schedule.frameCount == 11)
        var o = MuxOptions()
        o.encoder = VideoEncoderSettings(crf: 0, preset: "ultrafast")
        o.fps = Rational(10)
        let out = TestMedia.path("concat-cuts.mp4")
        try Renderer.mux(ConcatClip(parts), audioFrom: nil, to: out, options: o)
        let got = try TestMedia.frameLevels(out).map(TestMedia.index(ofLevel:))
        #expect(got == [0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2])
    }
}
