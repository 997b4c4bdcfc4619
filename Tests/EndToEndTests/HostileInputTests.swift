import Foundation
import Testing

/// Regressions from scripts/fuzz (issue 14), each as the person would meet it: the executable on
/// a hostile value, name or leftover, answering with a clear error or doing the right thing.
@Suite struct HostileInputTests {
    static func video(in dir: URL, _ name: String) throws {
        _ = try TimelineRecipeTests.sh(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=64x36:rate=10:duration=1",
                                        "-f", "lavfi", "-i", "sine=duration=1", "-c:v", "libx264", "-c:a", "aac", "file:" + name], in: dir)
    }

    /// Limits say what they are; huge integers never trap in rectangle arithmetic.
    @Test func limitsNameTheirBoundsAndHugeNumbersAreRefused() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try TimelineRecipeTests.sh(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=64x36", "-frames:v", "1", "p.png"], in: dir)
        let r = try Executable.run(["-e", """
            local img = image('p.png')
            for _, f in ipairs({
              function() return pad(still(img, 1), 1e12) end,
              function() return sleep(1e12) end,
              function() return still(img, 0/0) end,
              function() return img:crop(math.maxinteger, 0, 1, 1) end,
              function() return img:crop(0, 0, math.maxinteger, math.maxinteger) end,
              function() return img:crop(math.mininteger, 0, 1, 1) end,
              function() return export({{start = 0, stop = 1, image = img, layout = {picture = {x = 0, y = 0, w = math.maxinteger, h = 1}}}}, 'x') end,
              function() return export({{start = 0, stop = 1, image = img, layout = {overlays = {{x = 0, y = 0, w = 2, h = 2, changes = {0/0}}}}}}, 'x') end,
            }) do print((select(2, pcall(f)))) end
            print('alive')
            """], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 9, "\(r.stdout)")
        #expect(lines[0].contains("pad: argument #2 (seconds): expected a number > 0 and < 1000000 (about 11 days), got number 1000000000000.0"), "\(lines[0])")
        #expect(lines[1].contains("sleep: argument #1 (seconds): expected a number from 0 to 86400 (a day), got number 1000000000000.0"), "\(lines[1])")
        #expect(lines[2].contains("still: argument #2 (seconds): expected a number > 0") && lines[2].hasSuffix("got number nan"), "\(lines[2])")
        #expect(lines[3].contains("Image:crop: the rectangle 1x1+9223372036854775807+0: expected sizes and positions within 1048576"), "\(lines[3])")
        #expect(lines[4].contains("Image:crop: ") && lines[5].contains("Image:crop: "), "\(lines[4]) \(lines[5])")
        #expect(lines[6].contains("picture: expected a rectangle inside the 64x36 frame"), "\(lines[6])")
        #expect(lines[7].contains("changes: expected frame numbers >= 0, got nan"), "\(lines[7])")
        #expect(lines[8] == "alive")
    }

    /// Names FFmpeg would read as a protocol or a pattern are the person's files, in and out.
    @Test func protocolAndPatternNamesAreFiles() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.video(in: dir, "pipe:0.mp4")
        let r = try Executable.run(["-e", "local r = mux(clip('pipe:0.mp4'), 'pipe:0.mp4', 'out%d:1.mp4', {preset = 'ultrafast'}) print(open('out%d:1.mp4').frames == r.frames)"],
                                   directory: dir)
        #expect(r.status == 0 && r.stdout == "true\n", "\(r.stdout) \(r.stderr)")
        let listed = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(listed == ["out%d:1.mp4", "pipe:0.mp4"], "\(listed)")
    }

    /// A FIFO given as a video is refused at once (the open used to wait for a writer forever).
    @Test func aFIFOIsRefusedAtOnce() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(mkfifo(dir.appendingPathComponent("ep.mp4").path, 0o600) == 0)
        let r = try Executable.run(["-e", "open('ep.mp4')"], directory: dir)
        #expect(r.status == 1 && r.stderr.contains("open: cannot open 'ep.mp4': it is a FIFO (named pipe); expected a regular file"), "\(r.stderr)")
    }

    /// What a run killed with kill -9 left beside its output is removed by the next run there.
    @Test func theNextRunRemovesAKilledRunsTemporaries() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.video(in: dir, "ep.mp4")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        let dead = p.processIdentifier
        let leftovers = [".out.mp4.partial-\(dead).mp4", ".sheet.png.tmp-\(dead)-99"]
        for name in leftovers { try Data("half".utf8).write(to: dir.appendingPathComponent(name)) }
        let r = try Executable.run(["-e", "mux(clip('ep.mp4'), nil, 'other.mp4', {preset = 'ultrafast'})"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let listed = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(listed == ["ep.mp4", "other.mp4"], "\(listed)")
    }
}
