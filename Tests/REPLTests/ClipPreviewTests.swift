import Foundation
@testable import LuaAPI
import Media
import Testing
import Timeline

/// clip:preview's pieces: which terminal graphics to use, the frames it shows, the escapes.
@Suite struct ClipPreviewTests {
    @Test func terminalsAreRecognisedAndTheVariableWins() {
        #expect(ClipPreview.detect(["KITTY_WINDOW_ID": "1"], isTerminal: true) == .kitty)
        #expect(ClipPreview.detect(["TERM_PROGRAM": "iTerm.app"], isTerminal: true) == .iterm)
        #expect(ClipPreview.detect(["TERM": "foot"], isTerminal: true) == .sixel)
        #expect(ClipPreview.detect(["TERM": "xterm-256color"], isTerminal: true) == .none)
        #expect(ClipPreview.detect(["KITTY_WINDOW_ID": "1"], isTerminal: false) == .none, "no escapes into a pipe")
        #expect(ClipPreview.detect(["PODCAST_I2V_IMAGES": "sixel"], isTerminal: false) == .sixel)
    }

    @Test func framesAreShrunkAndLongClipsSampled() throws {
        let clip = FunctionClip(width: 128, height: 72, fps: Rational(30), frameCount: 600) { i in
            Image(width: 128, height: 72, red: UInt8(i % 256))
        }
        let (frames, fps) = try ClipPreview.frames(of: clip, maxWidth: 64)
        #expect(frames.count == 120)
        #expect(frames[0].width == 64 && frames[0].height == 36)
        #expect(fps == 6)
        #expect(frames[1].pixels[0] == 5, "every 5th frame, box-filtered colour kept")
    }

    @Test func escapesHaveTheirProtocolsShape() throws {
        let frame = Image(width: 8, height: 7, red: 255)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-preview-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("p.gif").path
        try GIFEncoder.write([frame], fps: 7, to: path)
        let gif = try Data(contentsOf: URL(fileURLWithPath: path))
        let iterm = try ClipPreview.inline(.iterm, gif: gif, frames: [frame])
        #expect(iterm.hasPrefix("\u{1B}]1337;File=inline=1;size=\(gif.count)"))
        let kitty = try ClipPreview.inline(.kitty, gif: gif, frames: [frame])
        #expect(kitty.hasPrefix("\u{1B}_Ga=T,f=24,s=8,v=7,m=0;"))
        let sixel = try ClipPreview.sixel(frame)
        #expect(sixel.hasPrefix("\u{1B}P0;1;0q\"1;1;8;7") && sixel.hasSuffix("\u{1B}\\"))
        #expect(sixel.components(separatedBy: "-").count == 3, "7 rows make two sixel bands")
        #expect(sixel.contains(";2;100;0;0"), "the red of the picture is in its palette")
        #expect(try ClipPreview.inline(.none, gif: gif, frames: [frame]).isEmpty)
    }
}
