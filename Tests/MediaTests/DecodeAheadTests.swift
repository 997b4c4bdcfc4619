import Foundation
@testable import Media
import Testing

@Suite(.enabled(if: TestMedia.available))
struct DecodeAheadTests {
    @Test func sameFramesInOrderAndStopsEarlyWithoutHanging() throws {
        let dir = try TestMedia.tempDir("ahead")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.mp4").path
        try TestMedia.make(["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=2",
                            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "12", path])
        var plain: [Int64] = []
        let d1 = try VideoDecoder(path: path)
        while let f = try d1.nextDecodedFrame() { plain.append(f.streamTimestamp) }
        #expect(plain.count == 50)

        let ahead = DecodeAhead(try VideoDecoder(path: path), depth: 3)
        var seen: [Int64] = []
        while let f = try ahead.next() {
            seen.append(f.streamTimestamp)
            #expect(f.width == 160 && f.height == 90)
        }
        ahead.stop()
        #expect(seen == plain)

        // Stopped after a few frames (Ctrl-C), with the decoding thread blocked on a full queue.
        let early = DecodeAhead(try VideoDecoder(path: path), depth: 2)
        _ = try early.next()
        Thread.sleep(forTimeInterval: 0.1)
        early.stop()
        early.stop()   // idempotent
    }

    @Test func deferredStillDecodesTheFrameOnFirstUse() throws {
        let dir = try TestMedia.tempDir("deferred")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("b.mp4").path
        try TestMedia.make(["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=2",
                            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "20", path])
        let decoder = try VideoDecoder(path: path)
        decoder.retainsPackets = true
        var frames: [Image] = []
        var stamps: [Int64] = []
        while let f = try decoder.nextFrame() { frames.append(f.image) }
        let again = try VideoDecoder(path: path)
        while let f = try again.nextDecodedFrame() { stamps.append(f.streamTimestamp) }
        let still = try decoder.deferredImage(atTimestamp: stamps[33])
        #expect(still.isDeferred && still.width == 160 && still.height == 90)
        try still.load()
        #expect(!still.isDeferred)
        #expect(still.pixels == frames[33].pixels)
    }
}
