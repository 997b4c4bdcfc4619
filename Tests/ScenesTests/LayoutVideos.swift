import Foundation
import Media

/// Static-image podcast videos made with ffmpeg's lavfi at test time: a still picture per scene
/// (letterboxed, pillarboxed, on a blurred fill of itself), captions that come and go at known
/// frames, and a corner logo over every scene.
enum LayoutVideos {
    static let dir: String = {
        let d = NSTemporaryDirectory() + "layout-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    static let font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    static var hasFont: Bool { FileManager.default.fileExists(atPath: font) }

    @discardableResult
    static func run(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw MediaError("\(args.joined(separator: " ")): \(String(decoding: errData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// One frame of `source`, held for `frames` frames at 25 fps.
    static func still(_ source: String, frames: Int) -> String {
        "\(source):r=25,trim=end_frame=1,loop=loop=\(frames - 1):size=1,setpts=N/25/TB"
    }

    // The 640x360 video's known layout: 4 scenes of 75 frames.
    static let letterbox = PixelRect(x: 0, y: 46, width: 640, height: 268)
    static let pillarbox = PixelRect(x: 220, y: 0, width: 202, height: 360)
    static let fill = PixelRect(x: 120, y: 30, width: 400, height: 300)
    static let logo = PixelRect(x: 580, y: 10, width: 40, height: 24)
    /// Caption boxes and the frames their content changes at.
    static let caption1 = PixelRect(x: 120, y: 250, width: 400, height: 40)
    static let caption1Changes = [10, 41, 61]
    static let caption2 = PixelRect(x: 240, y: 300, width: 160, height: 30)
    static let caption2Changes = [90, 130]
    static let caption3Changes = [165, 200]

    /// Letterbox (scene 1), pillarbox (2), blurred fill (3), the full frame (4), captions, a logo throughout
    /// (statics need four scenes that agree).
    static func podcast() throws -> String {
        let out = dir + "/podcast.mp4"
        if FileManager.default.fileExists(atPath: out) { return out }
        let l = letterbox, p = pillarbox, f = fill, c1 = caption1, c2 = caption2
        var graph = """
        \(still("testsrc2=s=\(l.width)x\(l.height)", frames: 75)),pad=640:360:\(l.x):\(l.y):black,setsar=1[s1];
        \(still("testsrc=s=\(p.width)x\(p.height)", frames: 75)),pad=640:360:\(p.x):\(p.y):black,setsar=1[s2];
        \(still("testsrc2=s=\(f.width)x\(f.height)", frames: 75)),hflip,split[a][b];
        [a]scale=640:360,boxblur=20:3[bg];[bg][b]overlay=\(f.x):\(f.y),setsar=1[s3];
        \(still("smptehdbars=s=640x360", frames: 75)),setsar=1[s4];
        [s1][s2][s3][s4]concat=n=4:v=1:a=0,format=yuv420p,
        drawbox=x=\(c1.x):y=\(c1.y):w=\(c1.width):h=\(c1.height):color=white:t=fill:enable='between(n,10,40)',
        drawbox=x=\(c1.x):y=\(c1.y):w=\(c1.width):h=\(c1.height):color=red:t=fill:enable='between(n,41,60)',
        drawbox=x=\(c2.x):y=\(c2.y):w=\(c2.width):h=\(c2.height):color=yellow:t=fill:enable='between(n,90,129)',
        drawbox=x=\(logo.x):y=\(logo.y):w=\(logo.width):h=\(logo.height):color=red:t=fill
        """
        if hasFont {
            graph += ",drawtext=fontfile=\(font):text='A caption over the picture':x=140:y=290:fontsize=22:fontcolor=white:enable='between(n,165,199)'"
        } else {
            graph += ",drawbox=x=140:y=290:w=300:h=24:color=white:t=fill:enable='between(n,165,199)'"
        }
        try run(["ffmpeg", "-v", "error", "-y", "-filter_complex", graph.replacingOccurrences(of: "\n", with: ""),
                 "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", out])
        return out
    }

    /// A 720p static-image video for timing: 8 scenes of 5 s, a caption changing in each.
    static func timing720() throws -> String {
        let out = dir + "/timing720.mp4"
        if FileManager.default.fileExists(atPath: out) { return out }
        var inputs = ""
        for k in 0..<8 {
            let src = k % 2 == 0 ? "testsrc2" : "testsrc"
            inputs += "\(still("\(src)=s=1280x\(k % 3 == 0 ? 540 : 720)", frames: 125)),hue=h=\(k * 45),pad=1280:720:(ow-iw)/2:(oh-ih)/2:black,setsar=1[s\(k)];"
        }
        let graph = inputs + (0..<8).map { "[s\($0)]" }.joined() + "concat=n=8:v=1:a=0,format=yuv420p,"
            + "drawbox=x=200:y=560:w=880:h=60:color=white:t=fill:enable='lt(mod(n,125),60)'"
        try run(["ffmpeg", "-v", "error", "-y", "-filter_complex", graph, "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", out])
        return out
    }

    /// One 25-frame scene of a picture `rect` in a 640x360 frame, on `background`: "bars" (pad
    /// with `colour`), "fill" (the picture blurred to the frame) or "none" (`rect` is the frame).
    static func single(_ name: String, source: String, rect r: PixelRect, background: String, colour: String = "black") throws -> String {
        let out = dir + "/\(name).mp4"
        if FileManager.default.fileExists(atPath: out) { return out }
        let parts = source.split(separator: ",", maxSplits: 1).map(String.init)
        let pic = still("\(parts[0])=s=\(r.width)x\(r.height)", frames: 25) + (parts.count > 1 ? "," + parts[1] : "")
        let graph: String
        switch background {
        case "bars": graph = "\(pic),pad=640:360:\(r.x):\(r.y):\(colour),format=yuv420p"
        case "fill": graph = "\(pic),split[a][b];[a]scale=640:360,boxblur=20:3[bg];[bg][b]overlay=\(r.x):\(r.y),format=yuv420p"
        default: graph = "\(pic),format=yuv420p"
        }
        try run(["ffmpeg", "-v", "error", "-y", "-filter_complex", graph, "-c:v", "libx264", "-preset", "veryfast", out])
        return out
    }
}
