import Foundation
@testable import Media
import Testing

/// The preview GIF decodes (by FFmpeg, as browsers and terminals would) to exactly the palette
/// colours we chose, frame by frame.
struct GIFEncoderTests {
    static func frame(_ k: Int, width: Int = 97, height: Int = 61) -> Image {
        var px = [UInt8](repeating: 0, count: width * height * 3)
        var seed = UInt32(k * 7919 + 1)
        for i in 0..<px.count {
            seed = seed &* 1664525 &+ 1013904223
            // Noise makes the LZW table fill and reset; gradients make long runs.
            px[i] = i % 5 == 0 ? UInt8(seed >> 24) : UInt8((i / 3 % width) * 255 / width)
        }
        return Image(width: width, height: height, pixels: px)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")))
    func decodesToThePaletteColours() throws {
        let frames = (0..<3).map { GIFGoldens.frameFor($0) }
        let data = GIFEncoder.encode(frames, fps: 7)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-gif-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let gif = dir.appendingPathComponent("p.gif"), raw = dir.appendingPathComponent("p.rgb")
        try data.write(to: gif)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-v", "error", "-i", gif.path, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", raw.path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let decoded = [UInt8](try Data(contentsOf: raw))
        let size = 97 * 61 * 3
        #expect(decoded.count == size * 3)
        for (k, f) in frames.enumerated() {
            let idx = GIFEncoder.indices(f, width: 97, height: 61)
            var mismatches = 0
            for (i, c) in idx.enumerated() {
                let r = Int(c) / 42, g = (Int(c) / 6) % 7, b = Int(c) % 6
                let want = [UInt8(r * 255 / 5), UInt8(g * 255 / 6), UInt8(b * 255 / 5)]
                if Array(decoded[(k * size + i * 3)..<(k * size + i * 3 + 3)]) != want { mismatches += 1 }
            }
            #expect(mismatches == 0, "frame \(k): \(mismatches) pixels differ")
        }
    }
}

enum GIFGoldens {
    static func frameFor(_ k: Int) -> Image { GIFEncoderTests.frame(k) }
}
