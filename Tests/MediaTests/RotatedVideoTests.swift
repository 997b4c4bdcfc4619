import Foundation
@testable import Media
import Testing

/// A video whose display matrix turns it (as phones write them) is refused with a clear error:
/// frames are read as stored, so it would otherwise come out sideways without a word.
@Suite(.enabled(if: TestMedia.available))
struct RotatedVideoTests {
    @Test func aRotatedVideoIsRefusedAndAnUprightOneRead() throws {
        let dir = try TestMedia.tempDir("rotated")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain.mp4").path
        try TestMedia.make(["-f", "lavfi", "-i", "testsrc2=size=64x36:rate=10:duration=0.5", "-c:v", "libx264", plain])
        // FFmpeg 5.1 writes a display matrix from `rotate` when it copies the stream.
        let turned = dir.appendingPathComponent("turned.mp4").path
        try TestMedia.make(["-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", turned])
        #expect(try MediaInfo.probe(plain).width == 64)
        do {
            _ = try MediaInfo.probe(turned)
            Issue.record("a rotated video was read as stored")
        } catch let e as MediaError {
            #expect(e.message.hasPrefix("'\(turned)' is stored rotated (its display matrix turns it by 90 degrees)"), "\(e.message)")
        }
    }
}
