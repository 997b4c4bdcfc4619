import Foundation
import LuaAPI
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
}
