import Foundation
import Testing

/// The source's dissolves kept through the whole pipeline, as a person runs it: detect's
/// transition tables, concat with transitions, and animate.lua's output checked frame by frame
/// (dissolve spans where the source has them, hard cuts frame-exact).
@Suite(.serialized) struct TransitionRecipeTests {
    /// Four 3 s static pictures at 25 fps, 640x360: a 0.5 s dissolve, a hard cut, a 1 s dissolve.
    static func episode(in dir: URL) throws -> String {
        var parts: [String] = []
        for (k, (src, hue)) in [("testsrc2", 0), ("smptebars", 40), ("mandelbrot", 200), ("rgbtestsrc", 90)].enumerated() {
            parts.append("\(src)=s=640x360:r=25,trim=end_frame=1,loop=loop=74:size=1,setpts=N/25/TB,hue=h=\(hue),format=yuv420p,setsar=1[p\(k)]")
        }
        let graph = parts.joined(separator: ";")
            + ";[p0][p1]xfade=transition=fade:duration=0.5:offset=2.5[x1];[x1][p2]concat=n=2:v=1:a=0,settb=1/25[x2]"
            + ";[x2][p3]xfade=transition=fade:duration=1:offset=7.5[v]"
        _ = try TimelineRecipeTests.sh(["ffmpeg", "-v", "error", "-y", "-nostdin", "-filter_complex", graph, "-map", "[v]",
                                        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-r", "25", "ep.mp4"], in: dir)
        return "ep.mp4"
    }

    /// Every frame as a 64x36 RGB thumbnail.
    static func thumbnails(_ file: String, in dir: URL) throws -> [[Double]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ffmpeg", "-v", "error", "-i", file, "-vf", "scale=64:36:flags=area,format=rgb24", "-f", "rawvideo", "-"]
        p.currentDirectoryURL = dir
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = [UInt8](out.fileHandleForReading.readDataToEndOfFile())
        p.waitUntilExit()
        let n = 64 * 36 * 3
        return (0..<(data.count / n)).map { f in data[(f * n)..<((f + 1) * n)].map(Double.init) }
    }

    /// How far frames `first...last` are from blends of frame `first - 1` and frame `last + 1`
    /// (the largest residual, relative to how much those two differ).
    static func blendResidual(_ frames: [[Double]], first: Int, last: Int) -> Double {
        let p = frames[first - 1], n = frames[last + 1]
        let d = zip(p, n).map { $1 - $0 }
        let dd = d.reduce(0) { $0 + $1 * $1 }
        var worst = 0.0
        for f in first...last {
            let x = zip(frames[f], p).map { $0 - $1 }
            let alpha = zip(x, d).reduce(0) { $0 + $1.0 * $1.1 } / dd
            let r = zip(x, d).reduce(0) { $0 + ($1.0 - alpha * $1.1) * ($1.0 - alpha * $1.1) }
            worst = max(worst, (r / dd).squareRoot())
        }
        return worst
    }

    /// Every frame's mean absolute difference from the one before, on 64x36 RGB thumbnails.
    static func changes(_ file: String, in dir: URL) throws -> [Double] {
        let frames = try thumbnails(file, in: dir)
        return frames.indices.map { f in
            guard f > 0 else { return 0 }
            return zip(frames[f], frames[f - 1]).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(frames[f].count)
        }
    }

    @Test func stillsComposedAndJoinedKeepTheSourcesTransitions() throws {
        let dir = try Executable.temporaryDirectory()
        _ = try Self.episode(in: dir)
        let lua = """
        local v = open('ep.mp4')
        local scenes = detect(v, {transitions = true})
        local parts, joins = {}, {}
        for k, s in ipairs(scenes) do
          parts[k] = compose(pad(still(s.picture, s.duration, {fps = v.fps}), s.duration), s, {source = v})
          if k > 1 then joins[k - 1] = s.transition_in end
        end
        local r = mux(concat(parts, {transitions = joins}), v, 'out.mp4', {preset = 'ultrafast'})
        local again = detect(open('out.mp4'), {transitions = true})
        print(#scenes, #again, r.frames)
        for k = 2, #scenes do
          local a, b = scenes[k].transition_in, again[k] and again[k].transition_in or {}
          print(a.kind, a.frame, a.first, a.last, b.kind, b.frame, b.first, b.last)
        end
        print(pcall(concat, parts, {transitions = {{kind = 'wipe', seconds = 1}}}))
        print(pcall(concat, parts, {transitions = {{kind = 'dissolve'}}}))
        print(pcall(concat, parts, {transitions = {42}}))
        """
        let r = try Executable.run(["-e", lua], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "4\t4\t263", "\(lines)")
        let rows = lines.dropFirst().prefix(3).map { $0.split(separator: "\t").map(String.init) }
        // Each output frame of a dissolve is a blend of the frames either side, picture and frame
        // alike: the two composed scenes' own backgrounds mixed (the scenes' picture rectangles differ).
        let frames = try Self.thumbnails("out.mp4", in: dir)
        for row in rows where row.count == 8 && row[0] == "dissolve" {
            let first = Int(row[2])!, last = Int(row[3])!
            let r = Self.blendResidual(frames, first: first, last: last)
            #expect(r < 0.06, "dissolve \(first)-\(last): residual \(r)")
        }
        #expect(rows.map { $0[0] } == ["dissolve", "cut", "dissolve"], "\(rows)")
        for row in rows where row.count == 8 {
            #expect(row[0] == row[4], "\(row)")
            let src = row[1...3].compactMap { Int($0) }, out = row[5...7].compactMap { Int($0) }
            if row[0] == "cut" {
                #expect(src == out, "a hard cut stays frame-exact: \(row)")
            } else {
                #expect(zip(src, out).allSatisfy { abs($0 - $1) <= 1 }, "the output's dissolve spans the source's: \(row)")
            }
        }
        #expect(lines.contains { $0.contains("expected 'cut', 'dissolve' or 'fade', got 'wipe'") }, "\(lines)")
        #expect(lines.contains { $0.contains("a dissolve needs start, time and stop") }, "\(lines)")
        #expect(lines.contains { $0.contains("entry 1: expected nil, 'cut' or a transition table") }, "\(lines)")
    }

    @Test func animateKeepsDissolvesAndExactCuts() throws {
        let dir = try Executable.temporaryDirectory()
        _ = try Self.episode(in: dir)
        let recipe = Executable.packageRoot.appendingPathComponent("recipes/animate.lua").path
        let r = try Executable.run(["run", recipe, "ep.mp4", "out.mp4"], environment: ["XDG_CACHE_HOME": dir.path + "/cache"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        // "dissolve in (frames 64-74)" per scene that begins with one.
        var dissolves: [(Int, Int)] = []
        var cuts: [Int] = []
        for line in r.stdout.split(separator: "\n") where line.hasPrefix("scene ") {
            let s = String(line)
            if let m = s.range(of: #"dissolve in \(frames (\d+)-(\d+)\)"#, options: .regularExpression) {
                let nums = s[m].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
                dissolves.append((nums[0], nums[1]))
            }
        }
        #expect(dissolves.count == 2, "\(r.stdout)")
        let source = try Self.changes("ep.mp4", in: dir)
        let output = try Self.changes("out.mp4", in: dir)
        #expect(output.count == source.count)
        // The source's hard cut: one frame of large change, the same frame in the output.
        for f in 1..<source.count where source[f] > 20 && !dissolves.contains(where: { f >= $0.0 && f <= $0.1 + 1 }) { cuts.append(f) }
        #expect(cuts.count == 1, "\(cuts)")
        for c in cuts {
            #expect(output[c] > 20, "cut at \(c): \(output[c])")
            #expect(output[c - 1] < 2 && output[c + 1] < 2, "cut at \(c) is frame-exact: \(output[(c - 2)...(c + 2)])")
        }
        // Each dissolve: the output changes on every frame of the source's span (and into the
        // first frame after it), and little just outside it.
        for (first, last) in dissolves {
            let inside = output[first...(last + 1)]
            let outside = [output[first - 2], output[first - 1], output[last + 2], output[last + 3]]
            #expect(inside.min()! > 2 * outside.max()!, "dissolve \(first)-\(last): inside \(Array(inside)), outside \(outside)")
        }
        // Off: the default mode's cuts, no dissolve.
        let off = try Executable.run(["run", recipe, "ep.mp4", "off.mp4", "--transitions", "off"],
                                     environment: ["XDG_CACHE_HOME": dir.path + "/cache"], directory: dir)
        #expect(off.status == 0, "\(off.stderr)")
        #expect(!off.stdout.contains("dissolve in"))
        let bad = try Executable.run(["run", recipe, "ep.mp4", "--transitions", "maybe"], directory: dir)
        #expect(bad.status == 1 && bad.stderr.contains("--transitions: expected on or off, got 'maybe'"))
    }
}
