import Foundation
import LuaAPI
import Media
@testable import REPL
import Testing

/// `compose` from Lua: the scene table's shape, `layout = 'full'` as the very clip, errors.
@Suite(.serialized) struct ComposePrimitiveTests {
    static let dir: String = {
        let d = NSTemporaryDirectory() + "compose-lua-\(getpid())"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    static func ffmpeg(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ffmpeg", "-v", "error", "-y"] + args
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    /// A 1 s 160x90 video with a white caption over frames 5-14, and its frame 0 (no caption) as PNG.
    static func media() throws -> (video: String, clean: String) {
        let video = dir + "/captions.mp4", clean = dir + "/clean.png"
        if !FileManager.default.fileExists(atPath: clean) {
            try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=1",
                        "-vf", "drawbox=x=20:y=60:w=120:h=16:color=white:t=fill:enable='between(n,5,14)'",
                        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", video])
            try ffmpeg(["-i", video, "-frames:v", "1", clean])
        }
        return (video, clean)
    }

    func setUp() throws -> Session {
        let (video, clean) = try Self.media()
        let session = Session()
        #expect(session.evaluate("""
            v = open('\(video)')
            clean = image('\(clean)')
            c = pad(kenburns(clean, {seconds = 1, fps = 25}), 1)
            s = {index = 1, start_frame = 0, stop_frame = 25, duration = 1.0, image = clean}
            """) == .values([]))
        return session
    }

    @Test func fullAndMissingLayoutReturnTheClipItself() throws {
        let session = try setUp()
        #expect(session.evaluate("rawequal(compose(c, s, {source = v, layout = 'full'}), c)") == .values(["true"]))
        // A scene without layout analysis: today's output.
        #expect(session.evaluate("rawequal(compose(c, s, {source = v}), c)") == .values(["true"]))
    }

    @Test func aSceneWithALayoutIsComposedAtTheSourcesSize() throws {
        let session = try setUp()
        _ = session.evaluate("""
            s.layout = {picture = {x = 0, y = 0, w = 160, h = 90}, background = 'none',
                        overlays = {{x = 16, y = 56, w = 128, h = 24, changes = {5, 15}}}, statics = {}}
            s.clean = clean
            small = pad(kenburns(clean, {seconds = 1, fps = 25, size = '80x45'}), 1)
            k = compose(small, s, {source = v})
            """)
        #expect(session.evaluate("k.width, k.height, k.frames, k.duration") == .values(["160", "90", "25", "1.0"]))
        #expect(session.evaluate("rawequal(k, small)") == .values(["false"]))
        #expect(session.evaluate("compose(c, s, {source = '\(try Self.media().video)', overlays = 'drop', layout = {x = 10, y = 0, w = 140, h = 90}}).width") == .values(["160"]))
        #expect(session.evaluate("k:save('\(Self.dir)/k.mp4', {preset = 'ultrafast'}).frames") == .values(["25"]))
    }

    @Test func errorsInTheHouseShape() throws {
        let session = try setUp()
        guard case .runtimeError(let notScene) = session.evaluate("compose(c, 5)") else { Issue.record(); return }
        #expect(notScene.contains("compose: argument #2 (scene): expected a scene table from detect, got number 5"), "\(notScene)")
        guard case .runtimeError(let layout) = session.evaluate("compose(c, s, {source = v, layout = 'half'})") else { Issue.record(); return }
        #expect(layout.contains("compose: option 'layout': expected 'auto', 'full' or {x=, y=, w=, h=}"), "\(layout)")
        guard case .runtimeError(let noSource) = session.evaluate("compose(c, s, {layout = {x = 0, y = 0, w = 80, h = 90}})") else { Issue.record(); return }
        #expect(noSource.contains("compose: option 'source': required"), "\(noSource)")
        guard case .runtimeError(let outside) = session.evaluate("compose(c, s, {source = v, layout = {x = 100, y = 0, w = 80, h = 90}})") else { Issue.record(); return }
        #expect(outside.contains("not inside the 160x90 source"), "\(outside)")
        guard case .runtimeError(let badOverlays) = session.evaluate("compose(c, s, {source = v, overlays = 'hide'})") else { Issue.record(); return }
        #expect(badOverlays.contains("compose: option 'overlays'"), "\(badOverlays)")
    }

    /// detect → kenburns of the scene's picture → compose, on a still with a caption that comes
    /// (frames 10-29), goes (30-37) and comes back with other text (38-49): where it is absent
    /// the clean still is the picture itself, so the animated picture shows through (it moves),
    /// not a frozen copy of the source; where it is on, the caption is the source's.
    @Test func whereTheCaptionIsAbsentThePictureMoves() throws {
        let video = Self.dir + "/come-and-go.mp4", frames = Self.dir + "/come-and-go-frames"
        try Self.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-frames:v", "1", Self.dir + "/still.png"])
        try Self.ffmpeg(["-loop", "1", "-framerate", "25", "-i", Self.dir + "/still.png", "-vf",
                         "drawbox=x=40:y=130:w=240:h=30:color=white:t=fill:enable='between(n,10,29)',"
                          + "drawbox=x=40:y=130:w=240:h=30:color=yellow:t=fill:enable='between(n,38,49)'",
                         "-frames:v", "50", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "10", "-pix_fmt", "yuv420p", video])
        let session = Session()
        #expect(session.evaluate("""
            v = open('\(video)')
            s = detect(v)[1]
            c = pad(kenburns(s.picture, {seconds = s.duration, fps = v.fps, zoom = 1.3}), s.duration)
            out = compose(c, s, {source = v})
            return #s.layout.overlays, out:save_frames('\(frames)')
            """) == .values(["1", "50"]))
        func frame(_ k: Int) throws -> Image { try Image.read(path: frames + String(format: "/frame_%04d.png", k + 1)) }
        let region = PixelRect(x: 40, y: 130, width: 240, height: 30)
        func difference(_ a: Image, _ b: Image) -> Double {
            var sum = 0
            for y in region.y..<region.maxY { for x in region.x..<region.maxX { for c in 0..<3 {
                let i = (y * a.width + x) * 3 + c
                sum += abs(Int(a.pixels[i]) - Int(b.pixels[i]))
            } } }
            return Double(sum) / Double(region.width * region.height * 3)
        }
        // Absent (frames 30-37): the region moves with the picture.
        let moved = difference(try frame(31), try frame(37))
        #expect(moved > 4, "\(moved)")
        // On: the caption box, unmoved, in both of its states.
        let white = try frame(20), yellow = try frame(45)
        #expect(white.pixels[(145 * 320 + 160) * 3] > 230 && white.pixels[(145 * 320 + 160) * 3 + 2] > 230)
        #expect(yellow.pixels[(145 * 320 + 160) * 3] > 200 && yellow.pixels[(145 * 320 + 160) * 3 + 2] < 60)
    }

}
