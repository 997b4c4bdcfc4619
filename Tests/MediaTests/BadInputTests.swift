import Foundation
@testable import Media
import Testing

/// Bad input: a clear error naming the file, never a crash or a hang.
@Suite(.enabled(if: TestMedia.available))
struct BadInputTests {
    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch let e as MediaError { return e.message } catch { return "\(error)" }
    }

    @Test func missingFile() {
        let m = message { _ = try MediaInfo.probe("/nonexistent/a.mp4") }
        #expect(m == "cannot open '/nonexistent/a.mp4': No such file or directory")
    }

    @Test func notAVideoZeroLengthAudioOnlyAndStill() throws {
        let dir = try TestMedia.tempDir("bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("notes.mp4")
        try Data("this is not a video\n".utf8).write(to: text)
        #expect(message { _ = try VideoDecoder(path: text.path) }.hasPrefix("cannot open '\(text.path)': "))
        let empty = dir.appendingPathComponent("empty.mp4")
        try Data().write(to: empty)
        #expect(message { _ = try MediaInfo.probe(empty.path) }.hasPrefix("cannot open '\(empty.path)': "))
        let audio = dir.appendingPathComponent("sound.m4a").path
        try TestMedia.make(["-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", audio])
        #expect(message { _ = try MediaInfo.probe(audio) } == "no video stream in '\(audio)'")
        let png = dir.appendingPathComponent("p.png").path
        try TestMedia.make(["-f", "lavfi", "-i", "color=blue:size=16x16", "-frames:v", "1", png])
        #expect(message { _ = try MediaInfo.probe(png) }.contains("still picture"))
        #expect(message { _ = try Image.read(path: audio) }.contains("not a picture"))
    }

    @Test func truncatedFileDecodesWhatIsThere() throws {
        let dir = try TestMedia.tempDir("trunc")
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = dir.appendingPathComponent("full.mp4").path
        try TestMedia.make(["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=4",
                            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", full])
        let data = try Data(contentsOf: URL(fileURLWithPath: full))
        let cut = dir.appendingPathComponent("cut.mp4")
        try data.prefix(data.count / 2).write(to: cut)
        let decoder = try VideoDecoder(path: cut.path)
        var n = 0
        while try decoder.nextFrame() != nil { n += 1 }
        #expect(n > 5 && n < 100)
        // Without faststart the index is at the end: the half file cannot be opened.
        let plain = dir.appendingPathComponent("plain.mp4").path
        try TestMedia.make(["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=4", "-c:v", "libx264", plain])
        let d2 = try Data(contentsOf: URL(fileURLWithPath: plain))
        let cut2 = dir.appendingPathComponent("cut2.mp4")
        try d2.prefix(d2.count / 2).write(to: cut2)
        #expect(!message { _ = try VideoDecoder(path: cut2.path) }.isEmpty)
    }

    @Test func oddSizes() throws {
        let dir = try TestMedia.tempDir("odd")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("odd.mkv").path
        try TestMedia.make(["-f", "lavfi", "-i", "testsrc2=size=128x64:rate=10:duration=1", "-vf", "scale=101:57",
                            "-pix_fmt", "yuv420p", "-c:v", "ffv1", path])
        let decoder = try VideoDecoder(path: path)
        var n = 0
        while let f = try decoder.nextFrame() {
            #expect(f.image.width == 101 && f.image.height == 57)
            n += 1
        }
        #expect(n == 10)
    }
}
