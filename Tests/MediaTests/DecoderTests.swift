import Foundation
@testable import Media
import Testing

@Suite(.enabled(if: TestMedia.available))
struct DecoderTests {
    @Test func probeReadsSizeRateFramesAndAudio() throws {
        let dir = try TestMedia.tempDir("probe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.mp4").path
        try TestMedia.make(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30000/1001:duration=2",
                            "-f", "lavfi", "-i", "sine=duration=2:sample_rate=48000", "-ac", "2",
                            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path])
        let info = try MediaInfo.probe(path)
        #expect(info.width == 320 && info.height == 240)
        #expect(info.fps == Rational(30000, 1001))
        #expect(info.frameCount == 60)
        #expect(abs(info.duration - 2.0) < 0.05)
        #expect(info.hasAudio && info.audioCodec == "aac" && info.sampleRate == 48000 && info.channels == 2)
    }

    @Test func decodesEveryFrameInOrderLikeFFmpeg() throws {
        let dir = try TestMedia.tempDir("decode")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("b.mp4").path
        try TestMedia.make(["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=1",
                            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "10", path])
        let decoder = try VideoDecoder(path: path)
        #expect(!decoder.info.hasAudio)
        var frames: [(Image, Double)] = []
        while let f = try decoder.nextFrame() { frames.append(f) }
        #expect(frames.count == 25)
        #expect(frames.enumerated().allSatisfy { abs($0.element.1 - Double($0.offset) / 25) < 1e-6 })
        let reference = try TestMedia.rawRGB(path, to: dir.appendingPathComponent("b.rgb"))
        let size = 160 * 90 * 3
        #expect(reference.count == size * 25)
        // FFmpeg's CLI upsamples chroma by nearest pixel, we interpolate it: close, not equal, on testsrc2's sharp colour edges.
        var total = 0
        for (k, (image, _)) in frames.enumerated() {
            for i in 0..<size { total += abs(Int(image.pixels[i]) - Int(reference[k * size + i])) }
        }
        let mean = Double(total) / Double(size * 25)
        #expect(mean < 8, "mean difference \(mean)")
        // Scaled on request.
        let again = try VideoDecoder(path: path)
        let small = try #require(try again.nextFrame(width: 80, height: 44))
        #expect(small.image.width == 80 && small.image.height == 44)
    }

    @Test func pngRoundTripAndResize() throws {
        let dir = try TestMedia.tempDir("png")
        defer { try? FileManager.default.removeItem(at: dir) }
        var px = [UInt8](repeating: 0, count: 33 * 17 * 3)
        for i in px.indices { px[i] = UInt8((i * 37) % 256) }
        let image = Image(width: 33, height: 17, pixels: px)
        let path = dir.appendingPathComponent("x.png").path
        try image.writePNG(to: path)
        let back = try Image.read(path: path)
        #expect(back.width == 33 && back.height == 17 && back.pixels == px)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(leftovers == ["x.png"])
        let r = image.resized(width: 11, height: 5)
        #expect(r.width == 11 && r.height == 5 && r.pixels.count == 11 * 5 * 3)
        // A JPEG too.
        let jpg = dir.appendingPathComponent("y.jpg").path
        try TestMedia.make(["-f", "lavfi", "-i", "color=red:size=40x30", "-frames:v", "1", jpg])
        let red = try Image.read(path: jpg)
        #expect(red.width == 40 && red.pixels[0] > 200 && red.pixels[1] < 40)
    }
}
