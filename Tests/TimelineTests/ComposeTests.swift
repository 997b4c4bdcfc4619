import Foundation
import Media
import Testing
@testable import Timeline

/// A letterboxed still (black bars left and right) with a caption box that is white over frames
/// 10-39 and a yellow, larger one over frames 40-69, nothing after: composition must keep the
/// bars, show each caption at its source frames and place, and move the picture behind it.
@Suite(.serialized) struct ComposeTests {
    static let picture = PixelRect(x: 40, y: 0, width: 240, height: 180)
    static let white = PixelRect(x: 60, y: 140, width: 200, height: 24)
    static let yellow = PixelRect(x: 80, y: 120, width: 160, height: 30)
    static let region = PixelRect(x: 56, y: 116, width: 208, height: 52)
    static let fps = Rational(25)

    static func source() throws -> String {
        let out = TestMedia.path("letterbox-captions.mp4")
        if FileManager.default.fileExists(atPath: out) { return out }
        let still = TestMedia.path("letterbox-picture.png")
        try TestMedia.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=240x180:rate=25", "-frames:v", "1", still])
        let w = white, y = yellow
        try TestMedia.run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-framerate", "25", "-i", still,
                           "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=4",
                           "-vf", "pad=320:180:40:0:black,"
                            + "drawbox=x=\(w.x):y=\(w.y):w=\(w.width):h=\(w.height):color=white:t=fill:enable='between(n,10,39)',"
                            + "drawbox=x=\(y.x):y=\(y.y):w=\(y.width):h=\(y.height):color=yellow:t=fill:enable='between(n,40,69)'",
                           "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", "-pix_fmt", "yuv420p",
                           "-c:a", "aac", "-shortest", out])
        return out
    }

    static func frames(_ path: String) throws -> [Image] {
        let d = try VideoDecoder(path: path)
        var out: [Image] = []
        while let f = try d.nextFrame() { out.append(f.image) }
        return out
    }

    static func crop(_ image: Image, _ r: PixelRect) -> Image {
        var px = [UInt8](repeating: 0, count: r.width * r.height * 3)
        for y in 0..<r.height {
            let s = ((r.y + y) * image.width + r.x) * 3
            px.replaceSubrange(y * r.width * 3..<(y + 1) * r.width * 3, with: image.pixels[s..<s + r.width * 3])
        }
        return Image(width: r.width, height: r.height, pixels: px)
    }

    static func meanAbsDiff(_ a: Image, _ b: Image, _ r: PixelRect) -> Double {
        let pa = a.pixels, pb = b.pixels
        var sum = 0
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { for k in 0..<3 {
            let p = (y * a.width + x) * 3 + k
            sum += abs(Int(pa[p]) - Int(pb[p]))
        } } }
        return Double(sum) / Double(r.width * r.height * 3)
    }

    static func mean(_ a: Image, _ r: PixelRect) -> Double {
        let p = a.pixels
        var sum = 0
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { for k in 0..<3 { sum += Int(p[(y * a.width + x) * 3 + k]) } } }
        return Double(sum) / Double(r.width * r.height * 3)
    }

    /// The share of a rectangle's pixels near a colour.
    static func share(_ a: Image, _ r: PixelRect, _ rgb: (Int, Int, Int)) -> Double {
        let p = a.pixels
        var n = 0
        for y in r.y..<r.maxY { for x in r.x..<r.maxX {
            let i = (y * a.width + x) * 3
            if abs(Int(p[i]) - rgb.0) < 40 && abs(Int(p[i + 1]) - rgb.1) < 40 && abs(Int(p[i + 2]) - rgb.2) < 40 { n += 1 }
        } }
        return Double(n) / Double(r.width * r.height)
    }

    /// Two scenes (frames 0-49, 50-99), a kenburns each over the picture, sharing one reader.
    static func composed(_ overlays: ComposedClip.Overlays, source path: String, motionSize: (Int, Int)? = nil)
        throws -> (ConcatClip, SourceFrames) {
        let reader = try SourceFrames(path: path)
        let clean = try SourceFrames(path: path).frame(0)
        let layout = SceneLayout(frameWidth: 320, frameHeight: 180, picture: picture, background: .bars,
                                 overlays: [.init(region: region, changes: [10, 40, 70])])
        let still = crop(clean, picture)
        let parts: [any Clip] = [(0, 50, "in"), (50, 50, "out")].map { start, count, dir in
            var o = KenBurnsClip.Options()
            o.seconds = 2; o.fps = fps; o.zoom = 1.3; o.direction = KenBurnsClip.Direction(rawValue: dir)
            if let (w, h) = motionSize { o.width = w; o.height = h }
            let kb = PadClip(KenBurnsClip(image: still, options: o), seconds: 2, strategy: .pingpong)
            return ComposedClip(motion: kb, source: reader, startFrame: start, sceneFrames: count, seconds: 2,
                                layout: layout, clean: clean, overlays: overlays)
        }
        return (ConcatClip(parts), reader)
    }

    static func lossless() -> MuxOptions {
        var o = MuxOptions()
        o.encoder = VideoEncoderSettings(crf: 0, preset: "ultrafast")
        return o
    }

    @Test func keepsBarsAndCaptionsAndMovesThePicture() throws {
        let src = try Self.source()
        let (clip, reader) = try Self.composed(.keep, source: src)
        #expect(clip.width == 320 && clip.height == 180 && clip.frameCount == 100 && clip.duration == 4)
        let out = TestMedia.path("composed-keep.mp4")
        let r = try Renderer.mux(clip, audioFrom: src, to: out, options: Self.lossless())
        #expect(r.frames == 100)
        // One forward pass over the source for the whole render, both scenes together.
        #expect(reader.framesDecoded == 100 && reader.opens == 1, "decoded \(reader.framesDecoded), opened \(reader.opens)")

        let source = try Self.frames(src), output = try Self.frames(out)
        #expect(source.count == 100 && output.count == 100)
        let left = PixelRect(x: 0, y: 0, width: 40, height: 180), right = PixelRect(x: 280, y: 0, width: 40, height: 180)
        let away = PixelRect(x: 50, y: 10, width: 220, height: 100)
        for n in 0..<min(source.count, output.count) {
            for bar in [left, right] {
                #expect(Self.mean(output[n], bar) <= Self.mean(source[n], bar) + 1, "frame \(n): bars")
            }
            let whiteIn = Self.share(output[n], Self.white, (255, 255, 255)) > 0.9
            let yellowIn = Self.share(output[n], Self.yellow, (255, 255, 0)) > 0.9
            #expect(whiteIn == (10...39).contains(n), "frame \(n): the white caption")
            #expect(yellowIn == (40...69).contains(n), "frame \(n): the yellow caption")
            if (13...39).contains(n) { #expect(Self.meanAbsDiff(output[n], source[n], Self.white) < 3, "frame \(n)") }
            if (43...69).contains(n) { #expect(Self.meanAbsDiff(output[n], source[n], Self.yellow) < 3, "frame \(n)") }
            if n > 0 && ![0, 49, 50, 99].contains(n) && (n % 50 > 5 && n % 50 < 45) {
                #expect(Self.meanAbsDiff(output[n], output[n - 1], away) > 0.3, "frame \(n): the picture moves")
            }
        }
        // The picture is not the source's still: it is animated.
        #expect(Self.meanAbsDiff(output[25], source[25], away) > 3)
    }

    @Test func dropShowsNoCaptionAndScalesTheMotion() throws {
        let src = try Self.source()
        let (clip, _) = try Self.composed(.drop, source: src, motionSize: (120, 90))
        let out = TestMedia.path("composed-drop.mp4")
        try Renderer.mux(clip, audioFrom: nil, to: out, options: Self.lossless())
        let output = try Self.frames(out)
        #expect(output.count == 100)
        for n in 10...69 {
            #expect(Self.share(output[n], Self.white, (255, 255, 255)) < 0.5, "frame \(n)")
            #expect(Self.share(output[n], Self.yellow, (255, 255, 0)) < 0.5, "frame \(n)")
        }
        #expect(Self.mean(output[30], PixelRect(x: 0, y: 0, width: 40, height: 180)) < 2)
    }

    @Test func theSourceIsAnInputMuxWillNotOverwrite() throws {
        let src = try Self.source()
        let (clip, _) = try Self.composed(.keep, source: src)
        #expect(Renderer.sourcePaths(of: clip).contains(src))
        #expect(throws: MediaError.self) { try Renderer.mux(clip, audioFrom: nil, to: src, options: Self.lossless()) }
    }

    @Test func readingBackwardsReopensAndSkippedFramesAreNotConverted() throws {
        let reader = try SourceFrames(path: try Self.source())
        reader.readsAhead = false
        let a = try reader.frame(20)
        #expect(try reader.frame(20) === a)
        _ = try reader.frame(5)
        #expect(reader.opens == 2 && reader.framesDecoded == 21 + 6)
        // Past the end: the last frame, found by reading to the end and once more to the last one.
        let last = try reader.frame(500)
        #expect(reader.opens == 3 && reader.framesDecoded == 21 + 100 + 100)
        #expect(try reader.frame(99) === last && reader.opens == 3)
    }

    @Test func readingAheadKeepsTheFrameJustHandedOut() throws {
        let reader = try SourceFrames(path: try Self.source())
        for i in 0..<30 {
            let a = try reader.frame(i)
            Thread.sleep(forTimeInterval: 0.002)   // let the next frame be read ahead
            #expect(try reader.frame(i) === a)
        }
        #expect(reader.opens == 1 && reader.framesDecoded <= 31)
    }
}
