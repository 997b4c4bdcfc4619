import Foundation
import Testing

/// The timeline's primitives and recipes run as a person runs them; outputs probed with ffprobe.
@Suite struct TimelineRecipeTests {
    static func sh(_ args: [String], in dir: URL) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.currentDirectoryURL = dir
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(args.joined(separator: " "))")
        return String(decoding: data, as: UTF8.self)
    }

    /// Three 1.6 s scenes of different pictures with AAC audio: cuts at 1.6 s and 3.2 s.
    static func threeScenes(in dir: URL) throws -> String {
        _ = try sh(["ffmpeg", "-v", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc2=size=192x108:rate=25:duration=1.6",
                    "-f", "lavfi", "-i", "smptebars=size=192x108:rate=25:duration=1.6",
                    "-f", "lavfi", "-i", "mandelbrot=size=192x108:rate=25,trim=duration=1.6",
                    "-f", "lavfi", "-i", "sine=frequency=300:duration=4.8",
                    "-filter_complex", "[0:v][1:v][2:v]concat=n=3:v=1:a=0,format=yuv420p[v]",
                    "-map", "[v]", "-map", "3:a", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "ep.mp4"], in: dir)
        return "ep.mp4"
    }

    static func probe(_ file: String, in dir: URL, _ entries: String) throws -> String {
        try sh(["ffprobe", "-v", "error", "-show_entries", entries, "-of", "csv=p=0", file], in: dir)
    }

    @Test func primitivesFromLua() throws {
        let dir = try Executable.temporaryDirectory()
        _ = try Self.threeScenes(in: dir)
        _ = try Self.sh(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1", "pic.png"], in: dir)
        let lua = """
        local v = open('ep.mp4')
        local img = image('pic.png')
        local kb = kenburns(img, {seconds = 1, seed = 2, fps = v.fps})
        local parts = {pad(kb, 1.6, 'pingpong'), pad(clip('ep.mp4'), 1.6, 'freeze'), still(img, 1.6)}
        local r = mux(concat(parts), v, 'out.mp4', {preset = 'ultrafast'})
        print(r.frames, r.audio, r.width .. 'x' .. r.height)
        kb:save('kb.mp4', {preset = 'ultrafast', size = '160x90', lookahead = 5})
        print(pcall(pad, kb, 2, 'lop'))
        print(pcall(mux, kb, v, 'ep.mp4'))
        """
        let r = try Executable.run(["-e", lua], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "120\tcopied\t192x108")
        #expect(lines.contains { $0.contains("pad: argument #3 (strategy): expected 'loop', 'pingpong', 'freeze', 'stretch' or 'loop_xfade', got 'lop'") })
        #expect(lines.contains { $0.contains("refusing to write 'ep.mp4'") })
        #expect(try Self.probe("kb.mp4", in: dir, "stream=width,height,nb_frames") == "160,90,25\n")
        #expect(try Self.probe("out.mp4", in: dir, "stream=codec_name") == "h264\naac\n")
    }

    @Test func animateRecipe() throws {
        let dir = try Executable.temporaryDirectory()
        let ep = try Self.threeScenes(in: dir)
        let recipe = Executable.packageRoot.appendingPathComponent("recipes/animate.lua").path
        let r = try Executable.run(["run", recipe, ep, "--strategy", "loop"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("scenes  3"))
        #expect(r.stdout.contains("ep_animated.mp4"))
        let streams = try Self.probe("ep_animated.mp4", in: dir, "stream=codec_name,nb_frames")
        #expect(streams == "h264,120\naac,\(try Self.probe(ep, in: dir, "stream=nb_frames").split(separator: "\n")[1])\n")
    }

    /// `--layout full` is the pipeline before composition, packet for packet; a scene given a
    /// picture rectangle in the tune file is composed (the rest of its frame is the source's).
    @Test func animateRecipeLayouts() throws {
        let dir = try Executable.temporaryDirectory()
        let ep = try Self.threeScenes(in: dir)
        let recipe = Executable.packageRoot.appendingPathComponent("recipes/animate.lua").path
        let hashes = { (file: String) in
            try Self.sh(["ffprobe", "-v", "error", "-select_streams", "v", "-show_data_hash", "md5", "-show_entries",
                         "packet=data_hash", "-of", "csv=p=0", file], in: dir)
        }
        let auto = try Executable.run(["run", recipe, ep, "auto.mp4"], directory: dir)
        #expect(auto.status == 0, "\(auto.stderr)")
        let full = try Executable.run(["run", recipe, ep, "full.mp4", "--layout", "full"], directory: dir)
        #expect(full.status == 0, "\(full.stderr)")
        // testsrc2 and mandelbrot move: detect finds overlays in them, so the default composes and
        // its frames differ from --layout full; both are as long as the source.
        #expect(try hashes("auto.mp4").split(separator: "\n").count == hashes("full.mp4").split(separator: "\n").count)
        #expect(try hashes("auto.mp4") != hashes("full.mp4"))
        #expect(full.stdout.contains("full frame"))

        try "return { [2] = {layout = {x = 48, y = 0, w = 96, h = 108}, overlays = 'drop'} }"
            .write(to: dir.appendingPathComponent("ep.tune.lua"), atomically: true, encoding: .utf8)
        let tuned = try Executable.run(["run", recipe, ep, "tuned.mp4"], directory: dir)
        #expect(tuned.status == 0, "\(tuned.stderr)")
        #expect(tuned.stdout.contains("picture in frame, overlays drop"), "\(tuned.stdout)")
        #expect(try Self.probe("tuned.mp4", in: dir, "stream=nb_frames").hasPrefix("120\n"))

        try "return { [2] = {overlays = 'hide'} }".write(to: dir.appendingPathComponent("ep.tune.lua"), atomically: true, encoding: .utf8)
        let bad = try Executable.run(["run", recipe, ep, "bad.mp4"], directory: dir)
        #expect(bad.status != 0 && bad.stderr.contains("overlays: expected 'keep' or 'drop'"), "\(bad.stderr)")
    }

    @Test func seedLayoutRecipe() throws {
        let dir = try Executable.temporaryDirectory()
        let ep = try Self.threeScenes(in: dir)
        let recipe = Executable.packageRoot.appendingPathComponent("recipes/seed-layout.lua").path
        // A clip made by another tool is used as it is.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("2_animated_clips"), withIntermediateDirectories: true)
        _ = try Self.sh(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=1024x576:rate=7:duration=3",
                         "-pix_fmt", "yuv420p", "2_animated_clips/image_002.mp4"], in: dir)
        let r = try Executable.run(["run", recipe, ep], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("2 clips made, 1 found"))
        for f in ["1_extracted_images/timestamps.csv", "1_extracted_images/image_001.png", "2_animated_clips/image_003.mp4", "ep_animated_v2.mp4"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), "\(f)")
        }
    }
}
