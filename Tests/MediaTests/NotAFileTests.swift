import Foundation
@testable import Media
import Testing

/// Paths that are not media files: a clear error at once (a FIFO with no writer used to block
/// the open forever), and names FFmpeg would read as a protocol or a pattern are plain files.
@Suite(.enabled(if: TestMedia.available))
struct NotAFileTests {
    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch let e as MediaError { return e.message } catch { return "\(error)" }
    }

    @Test func folderFIFOAndDevice() throws {
        let dir = try TestMedia.tempDir("notafile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("folder.mp4").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(message { _ = try MediaInfo.probe(folder) } == "cannot open '\(folder)': it is a folder; expected a file")
        let fifo = dir.appendingPathComponent("fifo.mp4").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(message { _ = try MediaInfo.probe(fifo) } == "cannot open '\(fifo)': it is a FIFO (named pipe); expected a regular file")
        #expect(message { _ = try Image.read(path: "/dev/zero") } == "cannot open '/dev/zero': it is a device; expected a regular file")
    }

    @Test func protocolAndPatternNamesAreFiles() throws {
        #expect(FilePath.ffmpegURL("pipe:0.mp4") == "file:pipe:0.mp4")
        #expect(FilePath.ffmpegURL("/abs/x.mp4") == "/abs/x.mp4")
        let dir = try TestMedia.tempDir("names")
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("frame%d.png").path
        try TestMedia.make(["-f", "lavfi", "-i", "color=blue:size=16x16", "-frames:v", "1", "-update", "1", png])
        #expect(try Image.read(path: png).width == 16)
    }
}
