import Foundation
import Testing

/// The media primitives through the built executable, on the committed fixture videos and on
/// videos ffmpeg makes at test time: results on stdout, `NAME: ...` errors with exit status 1.
@Suite struct MediaCommandTests {
    static let fixtures = Executable.packageRoot.appendingPathComponent("Tests/Fixtures/scenes")
    static let hardcuts = fixtures.appendingPathComponent("hardcuts.mp4").path
    static let ffmpeg = "/usr/bin/ffmpeg"
    static var hasFFmpeg: Bool { FileManager.default.isExecutableFile(atPath: ffmpeg) }

    static func makeVideo(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ffmpeg)
        p.arguments = ["-v", "error", "-y", "-nostdin"] + args
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    @Test func openDetectExportImportContactSheet() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let code = """
            local v = open('\(Self.hardcuts)')
            print(v.width, v.height, v.frames, v.fps, v.has_audio, v.audio.codec)
            local scenes = detect(v)
            for _, s in ipairs(scenes) do print(s.index, s.start_frame, s.stop_frame, string.format('%.3f', s.start), s.image.width) end
            export(scenes, 'out')
            local back = import('out')
            print(#back, back[3].start_frame, back[3].image.height)
            local sheet = contact_sheet(back, 'sheet.png', {columns = 2, width = 200})
            print(sheet.width, sheet.height)
            """
        let r = try Executable.run(["-e", code], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        #expect(r.stdout == """
            640\t360\t294\t30.0\ttrue\taac
            1\t0\t90\t0.000\t640
            2\t90\t150\t3.000\t640
            3\t150\t219\t5.000\t640
            4\t219\t294\t7.300\t640
            4\t150\t360
            424\t272

            """)
        let out = dir.appendingPathComponent("out")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["image_001.png", "image_002.png", "image_003.png", "image_004.png", "timestamps.csv"])
        let csv = try String(contentsOf: out.appendingPathComponent("timestamps.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("index,image,start,end,duration,start_frame,end_frame\n1,image_001.png,0.000,3.000,3.000,0,90\n"))
        let png = try Data(contentsOf: dir.appendingPathComponent("sheet.png"))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["out", "sheet.png"])
    }

    /// detect's layout fields: a letterboxed still with a caption that comes and goes; with
    /// `layout = false` the picture is the whole frame.
    @Test(.enabled(if: hasFFmpeg)) func detectGivesEachSceneItsLayout() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let video = dir.appendingPathComponent("letterbox.mp4").path
        try Self.makeVideo(["-filter_complex", "testsrc2=s=640x268:r=25,trim=end_frame=1,loop=loop=74:size=1,setpts=N/25/TB,"
                            + "pad=640:360:0:46:black,format=yuv420p,drawbox=x=120:y=250:w=400:h=40:color=white:t=fill:enable='between(n,10,40)'",
                            "-c:v", "libx264", "-preset", "veryfast", video])
        let code = """
            local s = detect('\(video)')[1]
            local l = s.layout
            print(l.background, l.picture.x, l.picture.y, l.picture.w, l.picture.h, #l.overlays, #l.statics)
            local o = l.overlays[1]
            print(o.x <= 120 and o.y <= 250 and o.x + o.w >= 520 and o.y + o.h >= 290, table.concat(o.changes, ','))
            print(s.picture.width, s.picture.height, s.image.width, s.image.height)
            local f = detect('\(video)', {layout = false})[1]
            print(f.layout.background, f.layout.picture.w, f.layout.picture.h, #f.layout.overlays, f.picture.height)
            """
        let r = try Executable.run(["-e", code], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            bars\t0\t46\t640\t268\t1\t0
            true\t10,41
            640\t268\t640\t360
            none\t640\t360\t0\t360

            """)
    }

    /// Each chunk fails with exit status 1 and a first stderr line `(command line):1: <message>`.
    static let badCalls: [(String, String)] = [
        ("open('/nonexistent/a.mp4')", "open: cannot open '/nonexistent/a.mp4': No such file or directory"),
        ("open(42)", "open: argument #1 (path): expected string, got number"),
        ("detect('/nonexistent/a.mp4')", "detect: cannot open '/nonexistent/a.mp4': No such file or directory"),
        ("detect(3)", "detect: argument #1 (video): expected Video (from open(path)) or a path, got number 3"),
        ("detect({})", "detect: argument #1 (video): expected Video (from open(path)) or a path, got table"),
        // Options are checked before the file is opened.
        ("detect('/nonexistent/a.mp4', {threshold = 'high'})", "detect: option 'threshold': expected number, got 'high'"),
        ("detect('/nonexistent/a.mp4', {treshold = 30})", "detect: unknown option 'treshold' (known: threshold, min_scene_len, weights, luma_only, layout, transitions)"),
        ("detect('/nonexistent/a.mp4', {min_scene_len = -1})", "detect: option 'min_scene_len': expected an integer >= 0, got -1"),
        ("detect('/nonexistent/a.mp4', {weights = {1, 2}})", "detect: option 'weights': expected a table of 3 numbers {hue, saturation, luma}"),
        ("detect('/nonexistent/a.mp4', 30)", "detect: argument #2 (options): expected table, got number"),
        ("image('/nonexistent/p.png')", "image: cannot open '/nonexistent/p.png': No such file or directory"),
        ("export('scenes', '/tmp')", "export: argument #1 (scenes): expected table, got string"),
        ("export({}, 7)", "export: argument #2 (dir): expected string, got number"),
        ("import('/nonexistent/dir')", "import: cannot read '/nonexistent/dir': no such folder (expected an exported scenes folder)"),
        ("contact_sheet({}, 'a.png')", "contact_sheet: argument #1 (scenes): expected an array of scenes (from detect or import), got an empty table"),
        ("contact_sheet(nil, 'a.png')", "contact_sheet: argument #1 (scenes): expected an array of scenes (from detect or import), got nil"),
        ("contact_sheet({{start = 0, stop = 1}}, 'a.png')", "contact_sheet: argument #1 (scenes): scene [1] has no image"),
        ("contact_sheet({}, 3)", "contact_sheet: argument #2 (path): expected string, got number"),
        ("contact_sheet({}, 'a.png', {columns = 0})", "contact_sheet: option 'columns': expected an integer 1..64, got 0"),
        ("contact_sheet({}, 'a.png', {width = 'wide'})", "contact_sheet: option 'width': expected integer, got 'wide'"),
        ("contact_sheet({}, 'a.png', {rows = 2})", "contact_sheet: unknown option 'rows' (known: columns, width)"),
    ]

    @Test(arguments: badCalls) func badArgumentsAreNamedErrors(_ code: String, _ message: String) throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Executable.run(["-e", code], directory: dir)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("(command line):1: " + message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        // Nothing half-written is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test(.enabled(if: MediaCommandTests.hasFFmpeg)) func filesThatAreNotVideos() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("notes.mp4").path
        try Data("not a video\n".utf8).write(to: URL(fileURLWithPath: text))
        let empty = dir.appendingPathComponent("empty.mp4").path
        try Data().write(to: URL(fileURLWithPath: empty))
        let audio = dir.appendingPathComponent("talk.m4a").path
        try Self.makeVideo(["-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", audio])
        let cases: [(String, String)] = [
            ("detect('\(text)')", "detect: cannot open '\(text)': Invalid data found when processing input"),
            ("open('\(empty)')", "open: cannot open '\(empty)': "),
            ("detect('\(audio)')", "detect: no video stream in '\(audio)'"),
            ("open('\(audio)')", "open: no video stream in '\(audio)'"),
            ("image('\(text)')", "image: cannot open '\(text)': "),
        ]
        for (code, message) in cases {
            let r = try Executable.run(["-e", code], directory: dir)
            #expect(r.status == 1, "\(code)")
            #expect(r.stderr.hasPrefix("(command line):1: " + message), "\(code): \(r.stderr)")
        }
    }

    /// 2 s at 25 fps, 2 s at 30 fps, 2 s at 25 fps in one stream: cut frames as PySceneDetect
    /// counts them, scene times from the frames' own timestamps.
    @Test(.enabled(if: MediaCommandTests.hasFFmpeg)) func variableFrameRate() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("vfr.mp4").path
        try Self.makeVideo([
            "-f", "lavfi", "-i", "smptebars=size=320x180:rate=25:duration=2",
            "-f", "lavfi", "-i", "testsrc=size=320x180:rate=30:duration=2",
            "-f", "lavfi", "-i", "color=c=0x3366aa:size=320x180:rate=25:duration=2",
            "-filter_complex", "[0]settb=1/1000[a];[1]settb=1/1000[b];[2]settb=1/1000[c];[a][b][c]concat=n=3:v=1:a=0[v]",
            "-map", "[v]", "-fps_mode", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p", path,
        ])
        let code = """
            local scenes = detect('\(path)')
            for _, s in ipairs(scenes) do
              print(s.start_frame, s.stop_frame, string.format('%.2f %.2f', s.start, s.stop), s.image.width)
            end
            """
        let r = try Executable.run(["-e", code], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "0\t50\t0.00 2.00\t320\n50\t110\t2.00 4.00\t320\n110\t160\t4.00 6.00\t320\n")
    }
}
