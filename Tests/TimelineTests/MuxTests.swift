import Foundation
import Media
import Testing
@testable import Timeline

@Suite struct MuxTests {
    @Test func stillWithAACAudioIsCopiedPacketForPacket() throws {
        let src = try TestMedia.video("aac.mp4", seconds: 3)
        let image = Image(width: 160, height: 90, red: 200, green: 100, blue: 50)
        let out = TestMedia.path("still-aac.mp4")
        let r = try Renderer.mux(StillClip(image: image, seconds: 3, fps: Rational(25)), audioFrom: src, to: out)
        #expect(r.audioCopied)
        let v = try #require(try TestMedia.stream(out, "video"))
        let a = try #require(try TestMedia.stream(out, "audio"))
        #expect(v["codec_name"] as? String == "h264")
        #expect(v["pix_fmt"] as? String == "yuv420p")
        #expect(v["width"] as? Int == 160 && v["height"] as? Int == 90)
        #expect(v["avg_frame_rate"] as? String == "25/1")
        #expect(a["codec_name"] as? String == "aac")
        let vd = TestMedia.double(v["duration"]), ad = TestMedia.double(a["duration"])
        #expect(abs(vd - ad) < 0.010, "video \(vd) s, audio \(ad) s")
        #expect(try TestMedia.audioPackets(out) == TestMedia.audioPackets(src))
    }
}

@Suite struct MuxSourcesTests {
    func fast() -> MuxOptions {
        var o = MuxOptions()
        o.encoder = VideoEncoderSettings(crf: 23, preset: "ultrafast")
        return o
    }

    @Test func mp3AudioIsEncodedToAACAndLastsAsLongAsTheVideo() throws {
        let src = try TestMedia.video("mp3.mp4", seconds: 2.3, audio: "mp3")
        let out = TestMedia.path("mp3-out.mp4")
        let clip = KenBurnsClip(image: Image(width: 64, height: 36, red: 10, green: 200, blue: 30), options: {
            var o = KenBurnsClip.Options(); o.seconds = 1; o.fps = Rational(25); return o }())
        let r = try Renderer.mux(PadClip(clip, seconds: 2.3, strategy: .pingpong), audioFrom: src, to: out, options: fast())
        #expect(!r.audioCopied)
        let v = try #require(try TestMedia.stream(out, "video")), a = try #require(try TestMedia.stream(out, "audio"))
        #expect(a["codec_name"] as? String == "aac")
        #expect(v["width"] as? Int == 160 && v["height"] as? Int == 90, "the source's size")
        let vd = TestMedia.double(v["duration"]), ad = TestMedia.double(a["duration"])
        #expect(abs(vd - ad) < 0.010, "video \(vd) s, audio \(ad) s")
        let sd = TestMedia.double(try TestMedia.stream(src, "audio")?["duration"])
        #expect(abs(ad - sd) < 0.030, "source audio \(sd) s, output \(ad) s")
    }

    @Test func noAudioGivesVideoOnly() throws {
        let src = try TestMedia.video("silent.mp4", seconds: 1, audio: nil)
        let out = TestMedia.path("silent-out.mp4")
        let r = try Renderer.mux(FileClip(path: src), audioFrom: src, to: out, options: fast())
        #expect(r.audioSeconds == nil)
        let streams = try TestMedia.streams(out)
        #expect(streams.count == 1)
        #expect(streams[0]["nb_read_frames"] as? String == "25")
    }

    @Test func verticalSourceAndOddSizes() throws {
        let src = try TestMedia.video("vertical.mp4", width: 90, height: 160, seconds: 1)
        let out = TestMedia.path("vertical-out.mp4")
        // A landscape still into a vertical video: cover crops it.
        let still = StillClip(image: Image(width: 320, height: 180, red: 90, green: 90, blue: 90), seconds: 1, fps: Rational(25))
        try Renderer.mux(still, audioFrom: src, to: out, options: fast())
        let v = try #require(try TestMedia.stream(out, "video"))
        #expect(v["width"] as? Int == 90 && v["height"] as? Int == 160)

        let odd = try TestMedia.video("odd.mp4", width: 161, height: 91, seconds: 1)
        let oddOut = TestMedia.path("odd-out.mp4")
        var o = fast()
        o.fit = .contain
        try Renderer.mux(FileClip(path: odd), audioFrom: odd, to: oddOut, options: o)
        let ov = try #require(try TestMedia.stream(oddOut, "video"))
        #expect(ov["width"] as? Int == 160 && ov["height"] as? Int == 90, "yuv420p needs an even size")
        #expect(ov["nb_read_frames"] as? String == "25")
        #expect(try TestMedia.audioPackets(oddOut) == TestMedia.audioPackets(odd))
    }

    @Test func neverOverwritesTheInputAndLeavesNoPartialFile() throws {
        let src = try TestMedia.video("keep.mp4", seconds: 1)
        let before = try Data(contentsOf: URL(fileURLWithPath: src))
        #expect(throws: MediaError.self) { try Renderer.mux(FileClip(path: src), audioFrom: src, to: src, options: fast()) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: src)) == before)

        let out = TestMedia.path("interrupted.mp4")
        var n = 0
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try Renderer.mux(FileClip(path: src), audioFrom: src, to: out, options: fast()) {
                n += 1
                if n == 10 { throw Stop() }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: TestMedia.dir).filter { $0.hasPrefix(".interrupted.mp4.partial") }
        #expect(leftovers.isEmpty)
    }

    @Test func aClipErrorIsTheMuxErrorAndLeavesNoPartialFile() throws {
        let src = try TestMedia.video("broken-src.mp4", seconds: 2)
        let out = TestMedia.path("broken.mp4")
        let broken = FunctionClip(width: 64, height: 36, fps: Rational(25), frameCount: 50) { i in
            if i == 30 { throw MediaError("clip: cannot read frame 31 of 'broken'") }
            return Image(width: 64, height: 36, red: UInt8(i * 5))
        }
        do {
            try Renderer.mux(broken, audioFrom: src, to: out, options: fast())
            Issue.record("mux succeeded with a broken clip")
        } catch let e as MediaError {
            #expect(e.message == "clip: cannot read frame 31 of 'broken'")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: TestMedia.dir).filter { $0.hasPrefix(".broken.mp4.partial") }
        #expect(leftovers.isEmpty)
    }

    @Test func lookaheadIsCappedForMemoryButNeverRaised() {
        #expect(VideoEncoderSettings(preset: "medium").effectiveLookahead == VideoEncoderSettings.lookaheadCap)
        #expect(VideoEncoderSettings(preset: "veryslow").effectiveLookahead == VideoEncoderSettings.lookaheadCap)
        #expect(VideoEncoderSettings(preset: "veryfast").effectiveLookahead == 10)
        #expect(VideoEncoderSettings(preset: "ultrafast").effectiveLookahead == 0)
        #expect(VideoEncoderSettings(preset: "medium", lookahead: 40).effectiveLookahead == 40)
    }

    @Test func kenburnsIsSubPixelSmooth() throws {
        var o = KenBurnsClip.Options()
        o.seconds = 4; o.fps = Rational(25); o.zoom = 1.1; o.direction = .in; o.pan = .right; o.easing = .linear
        let kb = KenBurnsClip(image: Image(width: 640, height: 360), options: o)
        let xs = (0..<kb.frameCount).map { kb.window($0).x }, ws = (0..<kb.frameCount).map { kb.window($0).w }
        let steps = zip(xs.dropFirst(), xs).map { $0 - $1 }
        #expect(steps.allSatisfy { $0 > 0 && $0 < 2 }, "the window moves forward, never back")
        #expect(zip(steps.dropFirst(), steps).allSatisfy { abs($0 - $1) < 0.05 }, "no jitter: the speed changes smoothly")
        #expect(steps.contains { $0 != $0.rounded() }, "positions are not whole pixels")
        #expect(zip(ws.dropFirst(), ws).allSatisfy { $0 < $1 }, "zooming in shrinks the window every frame")
        // The same seed gives the same motion; seeds vary it.
        var a = KenBurnsClip.Options(); a.seed = 7
        let motions = Set((0..<20).map { s -> String in
            var so = KenBurnsClip.Options(); so.seed = s
            let k = KenBurnsClip(image: Image(width: 64, height: 36), options: so)
            return "\(k.direction) \(k.pan)"
        })
        #expect(motions.count >= 4)
        let k1 = KenBurnsClip(image: Image(width: 64, height: 36), options: a), k2 = KenBurnsClip(image: Image(width: 64, height: 36), options: a)
        #expect(k1.direction == k2.direction && k1.pan == k2.pan)
    }
}
