import Foundation
@testable import Media
import Testing

/// The preview GIF as FFmpeg's own tools read it (as browsers and terminals would): every frame,
/// the size, a loop, and colours close to the clip's.
struct GIFEncoderTests {
    static func frame(_ k: Int, width: Int = 97, height: Int = 61) -> Image {
        var px = [UInt8](repeating: 0, count: width * height * 3)
        var seed = UInt32(k * 7919 + 1)
        for i in 0..<px.count {
            seed = seed &* 1664525 &+ 1013904223
            // Noise changes every pixel between frames; gradients make long runs.
            px[i] = i % 5 == 0 ? UInt8(seed >> 24) : UInt8((i / 3 % width) * 255 / width)
        }
        return Image(width: width, height: height, pixels: px)
    }

    /// A clip in two hues a fixed cube serves badly: dark teal to orange, across and down.
    static func gradient(_ k: Int, width: Int = 96, height: Int = 54) -> Image {
        var px = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let t = Double(x + k) / Double(width + 8), s = Double(y) / Double(height)
                let i = (y * width + x) * 3
                px[i] = UInt8(20 + 215 * t)
                px[i + 1] = UInt8(60 + 70 * t + 30 * s)
                px[i + 2] = UInt8(90 * (1 - t) + 20 * s)
            }
        }
        return Image(width: width, height: height, pixels: px)
    }

    static func decode(_ gif: String, to raw: URL) throws -> [UInt8] {
        // passthrough: one decoded frame a GIF frame, not resampled to a constant rate
        try TestMedia.make(["-i", gif, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", raw.path])
        return [UInt8](try Data(contentsOf: raw))
    }

    static func probe(_ gif: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        p.arguments = ["-v", "error", "-count_frames", "-select_streams", "v:0",
                       "-show_entries", "stream=codec_name,width,height,nb_read_frames,avg_frame_rate", "-of", "default=nw=1", gif]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(.enabled(if: TestMedia.available))
    func ffprobeSeesEveryFrameTheSizeAndALoop() throws {
        let frames = (0..<3).map { Self.frame($0) }
        let dir = try TestMedia.tempDir("gif")
        defer { try? FileManager.default.removeItem(at: dir) }
        let gif = dir.appendingPathComponent("p.gif").path
        try GIFEncoder.write(frames, fps: 7, to: gif)
        let info = try Self.probe(gif)
        #expect(info.contains("codec_name=gif"))
        #expect(info.contains("width=97") && info.contains("height=61"))
        #expect(info.contains("nb_read_frames=3"), "\(info)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: gif)))
        #expect(bytes.starts(with: Array("GIF89a".utf8)))
        // NETSCAPE2.0 block, loop count 0: forever.
        let netscape = Array("NETSCAPE2.0".utf8) + [3, 1, 0, 0]
        #expect(bytes.indices.contains { bytes[$0...].starts(with: netscape) }, "loops forever")
        // 100/7 rounds to 14 centiseconds a frame: each graphic control extension says so.
        let delays = bytes.indices.filter { bytes[$0...].starts(with: [0x21, 0xF9, 0x04]) }
            .map { Int(bytes[$0 + 4]) | Int(bytes[$0 + 5]) << 8 }
        #expect(delays == [14, 14, 14])
        #expect(try Self.decode(gif, to: dir.appendingPathComponent("p.rgb")).count == 97 * 61 * 3 * 3)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(names.sorted() == ["p.gif", "p.rgb"], "no temporary file left beside it")
    }

    @Test(.enabled(if: TestMedia.available))
    func thePaletteIsMadeForTheClip() throws {
        let frames = (0..<6).map { Self.gradient($0 * 2) }
        let dir = try TestMedia.tempDir("gif")
        defer { try? FileManager.default.removeItem(at: dir) }
        let gif = dir.appendingPathComponent("g.gif").path
        try GIFEncoder.write(frames, fps: 12, to: gif)
        let decoded = try Self.decode(gif, to: dir.appendingPathComponent("g.rgb"))
        let size = frames[0].pixels.count
        try #require(decoded.count == size * frames.count)
        var err = 0, cubeErr = 0
        for (k, f) in frames.enumerated() {
            for (i, v) in f.pixels.enumerated() {
                err += abs(Int(v) - Int(decoded[k * size + i]))
                // The best a 6x6x6 cube does: each channel to its nearest of 6 levels, no dithering.
                let level = (Int(v) * 5 + 127) / 255 * 51
                cubeErr += abs(Int(v) - level)
            }
        }
        let mae = Double(err) / Double(size * frames.count), cubeMAE = Double(cubeErr) / Double(size * frames.count)
        #expect(mae < 4, "mean error \(mae) (the cube's: \(cubeMAE))")
        #expect(mae * 3 < cubeMAE, "mean error \(mae) against the cube's \(cubeMAE)")
    }

    @Test func anUnwritableTargetNamesTheFileAndLeavesNothing() throws {
        let dir = try TestMedia.tempDir("gif")
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("missing/p.gif").path
        #expect {
            try GIFEncoder.write([Self.frame(0)], fps: 7, to: target)
        } throws: { error in
            "\(error)".contains(target)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// Every pixel, looked up through its index in the palette, gives back its own colour (within
    /// the 2 levels the palette filter rounds by): the indices are checked against the source
    /// picture, not taken from the implementation.
    @Test func indexedImagesUseTheirOwnPalette() throws {
        let red: [UInt8] = [200, 30, 90], black: [UInt8] = [0, 0, 0]
        var px = [UInt8](repeating: 0, count: 8 * 4 * 3)
        for i in stride(from: 0, to: px.count, by: 3) where i / 3 % 8 >= 4 { px[i] = red[0]; px[i + 1] = red[1]; px[i + 2] = red[2] }
        let indexed = try IndexedImage(quantizing: Image(width: 8, height: 4, pixels: px))
        #expect(indexed.width == 8 && indexed.height == 4 && indexed.indices.count == 32)
        #expect(indexed.palette.count == 256 * 3)
        for (p, index) in indexed.indices.enumerated() {
            let expected = p % 8 >= 4 ? red : black
            let got = Array(indexed.palette[(Int(index) * 3)..<(Int(index) * 3 + 3)])
            #expect(zip(got, expected).allSatisfy { abs(Int($0) - Int($1)) <= 2 }, "pixel \(p): index \(index) is \(got), expected \(expected)")
        }
        // Black stays exactly black.
        #expect(Array(indexed.palette[(Int(indexed.indices[0]) * 3)..<(Int(indexed.indices[0]) * 3 + 3)]) == black)
    }
}
