import Foundation
import Media

/// Static-picture videos with known hard cuts and gradual transitions, made with ffmpeg's lavfi
/// and xfade at test time, and their truth: every boundary's kind and blended frames, read back
/// from a lossless render of the same graph (a blended frame equals neither picture beside it).
enum TransitionVideos {
    enum Join { case cut, dissolve(Double), fade(Double) }
    struct Boundary: Equatable { let kind: String; let first: Int; let last: Int }

    static let pictures = ["testsrc2", "smptebars", "mandelbrot", "rgbtestsrc", "testsrc", "smptehdbars", "yuvtestsrc", "testsrc2", "smptebars"]
    static let hues = [0, 40, 200, 90, 300, 150, 20, 250, 60]

    /// Scenes of `seconds`, each joined to the next by `join` (the last one's is ignored).
    static func graph(_ scenes: [(seconds: Double, join: Join)], width: Int = 640, height: Int = 360, rate: Int = 25, letterbox: Int = 0) -> String {
        var parts: [String] = []
        for (k, s) in scenes.enumerated() {
            let frames = Int((s.seconds * Double(rate)).rounded())
            let h = height - 2 * letterbox
            var p = "\(pictures[k % pictures.count])=s=\(width)x\(h):r=\(rate),trim=end_frame=1,loop=loop=\(frames - 1):size=1,"
                + "setpts=N/\(rate)/TB,hue=h=\(hues[k % hues.count])"
            if letterbox > 0 { p += ",pad=\(width):\(height):0:\(letterbox):black" }
            parts.append(p + ",format=yuv420p,setsar=1[p\(k)]")
        }
        var chain: [String] = []
        var cur = "p0", length = scenes[0].seconds
        for k in 1..<scenes.count {
            switch scenes[k - 1].join {
            case .cut:
                chain.append("[\(cur)][p\(k)]concat=n=2:v=1:a=0,settb=1/\(rate)[x\(k)]")
                length += scenes[k].seconds
            case .dissolve(let d), .fade(let d):
                let kind: String
                if case .fade = scenes[k - 1].join { kind = "fadeblack" } else { kind = "fade" }
                chain.append("[\(cur)][p\(k)]xfade=transition=\(kind):duration=\(d):offset=\(length - d)[x\(k)]")
                length += scenes[k].seconds - d
            }
            cur = "x\(k)"
        }
        return (parts + chain).joined(separator: ";") + ";[\(cur)]null[v]"
    }

    static func make(_ name: String, _ scenes: [(seconds: Double, join: Join)], letterbox: Int = 0) throws -> (path: String, truth: [Boundary]) {
        let g = graph(scenes, letterbox: letterbox)
        let out = LayoutVideos.dir + "/\(name).mp4"
        if !FileManager.default.fileExists(atPath: out) {
            try LayoutVideos.run(["ffmpeg", "-v", "error", "-y", "-nostdin", "-filter_complex", g, "-map", "[v]", "-c:v", "libx264",
                                  "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-r", "25", out])
        }
        return (out, try truth(g, scenes))
    }

    /// Every frame of the lossless render as a 32x18 RGB thumbnail.
    static func losslessFrames(_ g: String) throws -> [[UInt8]] {
        let raw = out + "/raw-\(UUID().uuidString).rgb"
        defer { try? FileManager.default.removeItem(atPath: raw) }
        try LayoutVideos.run(["ffmpeg", "-v", "error", "-y", "-nostdin", "-filter_complex", g + ";[v]scale=32:18:flags=area,format=rgb24[t]",
                              "-map", "[t]", "-f", "rawvideo", raw])
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        let n = 32 * 18 * 3
        return (0..<(data.count / n)).map { Array(data[$0 * n..<($0 + 1) * n]) }
    }
    static var out: String { LayoutVideos.dir }

    static func truth(_ g: String, _ scenes: [(seconds: Double, join: Join)]) throws -> [Boundary] {
        let frames = try losslessFrames(g)
        var result: [Boundary] = []
        var start = 0
        for k in 0..<(scenes.count - 1) {
            var d = 0.0, kind = "cut"
            switch scenes[k].join {
            case .cut: break
            case .dissolve(let s): d = s; kind = "dissolve"
            case .fade(let s): d = s; kind = "fade"
            }
            let stop = start + Int(((scenes[k].seconds - d) * 25).rounded())
            let a = frames[start + 2]
            let bAt = stop + Int((d * 25).rounded()) + 2
            let b = frames[bAt]
            if kind == "cut" {
                let cut = (start..<frames.count).first { frames[$0] == b }!
                result.append(Boundary(kind: "cut", first: cut, last: cut - 1))
                start = cut
            } else {
                let blended = (start..<bAt).filter { frames[$0] != a && frames[$0] != b }
                result.append(Boundary(kind: kind, first: blended.first!, last: blended.last!))
                start = blended.last! + 1
            }
        }
        return result
    }
}
