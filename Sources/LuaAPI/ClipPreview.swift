import Foundation
import Media
import Timeline

/// `clip:preview()`: a small animated GIF of the clip, shown inline where the terminal can show
/// pictures (kitty's graphics protocol, iTerm2's inline images, sixel) and always written to a
/// file whose path is printed, so any terminal (or an ssh session) gets something to open.
enum ClipPreview {
    enum Graphics: String, CaseIterable { case kitty, iterm, sixel, none }

    /// What this terminal can show. `PODCAST_I2V_IMAGES` (kitty, iterm, sixel, none) overrides
    /// the guess, for terminals that do not announce themselves (sixel has no reliable variable).
    static func detect(_ env: [String: String] = ProcessInfo.processInfo.environment, isTerminal: Bool = isatty(1) != 0) -> Graphics {
        if let forced = env["PODCAST_I2V_IMAGES"], let p = Graphics(rawValue: forced) { return p }
        guard isTerminal else { return .none }
        if env["KITTY_WINDOW_ID"] != nil || env["TERM"] == "xterm-kitty" || env["TERM_PROGRAM"] == "ghostty" { return .kitty }
        if ["iTerm.app", "WezTerm"].contains(env["TERM_PROGRAM"] ?? "") || env["LC_TERMINAL"] == "iTerm2" { return .iterm }
        if let term = env["TERM"], term.contains("sixel") || term.hasPrefix("foot") || term == "mlterm" { return .sixel }
        return .none
    }

    /// Frames scaled to at most `maxWidth` wide, every `step`-th frame so a long clip stays small.
    static func frames(of clip: any Clip, maxWidth: Int) throws -> (frames: [Image], fps: Double) {
        let scale = min(1, Double(maxWidth) / Double(clip.width))
        let w = max(1, Int((Double(clip.width) * scale).rounded())), h = max(1, Int((Double(clip.height) * scale).rounded()))
        let step = max(1, clip.frameCount / 120)
        let reader = try clip.makeReader()
        var frames: [Image] = []
        for i in stride(from: 0, to: clip.frameCount, by: step) {
            frames.append(try reader.frame(i).resized(width: w, height: h))
        }
        return (frames, clip.fps.double / Double(step))
    }

    /// The escape sequence that shows `gif` (or, for kitty and sixel, the middle frame) inline.
    static func inline(_ proto: Graphics, gif: Data, frames: [Image]) throws -> String {
        switch proto {
        case .none: return ""
        case .iterm:
            return "\u{1B}]1337;File=inline=1;size=\(gif.count);preserveAspectRatio=1:\(gif.base64EncodedString())\u{07}\n"
        case .kitty:
            // Raw RGB (f=24) needs no PNG encoder; kitty wants the payload in chunks of 4096.
            let frame = frames[frames.count / 2]
            let payload = Data(frame.pixels).base64EncodedString()
            var out = ""
            var start = payload.startIndex
            var first = true
            while start < payload.endIndex {
                let end = payload.index(start, offsetBy: 4096, limitedBy: payload.endIndex) ?? payload.endIndex
                let more = end < payload.endIndex ? 1 : 0
                let head = first ? "a=T,f=24,s=\(frame.width),v=\(frame.height),m=\(more)" : "m=\(more)"
                out += "\u{1B}_G\(head);\(payload[start..<end])\u{1B}\\"
                start = end
                first = false
            }
            return out + "\n"
        case .sixel:
            return try sixel(frames[frames.count / 2]) + "\n"
        }
    }

    /// One frame as sixel, with a palette made for it.
    static func sixel(_ image: Image) throws -> String {
        let w = image.width, h = image.height
        let indexed = try IndexedImage(quantizing: image)
        let idx = indexed.indices, pal = indexed.palette
        var out = "\u{1B}P0;1;0q\"1;1;\(w);\(h)"
        var used = [Bool](repeating: false, count: 256)
        for c in idx { used[Int(c)] = true }
        // Sixel colours are percentages.
        func percent(_ v: UInt8) -> Int { (Int(v) * 100 + 127) / 255 }
        for i in 0..<256 where used[i] {
            out += "#\(i);2;\(percent(pal[i * 3]));\(percent(pal[i * 3 + 1]));\(percent(pal[i * 3 + 2]))"
        }
        for band in stride(from: 0, to: h, by: 6) {
            var colours = Set<UInt8>()
            for y in band..<min(band + 6, h) { for x in 0..<w { colours.insert(idx[y * w + x]) } }
            for (n, c) in colours.sorted().enumerated() {
                out += "#\(c)"
                var run = 0
                var last: UInt8 = 0
                func flush() {
                    guard run > 0 else { return }
                    let ch = String(UnicodeScalar(63 + last))
                    out += run > 3 ? "!\(run)\(ch)" : String(repeating: ch, count: run)
                }
                for x in 0..<w {
                    var bits: UInt8 = 0
                    for k in 0..<6 where band + k < h && idx[(band + k) * w + x] == c { bits |= 1 << k }
                    if run > 0 && bits == last { run += 1 } else { flush(); last = bits; run = 1 }
                }
                flush()
                out += n == colours.count - 1 ? "-" : "$"
            }
        }
        return out + "\u{1B}\\"
    }

    /// Where a preview goes when the caller names no path.
    static func defaultPath() -> String {
        let dir = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/podcast-i2v-previews"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let stamp = Int(Date().timeIntervalSince1970 * 1000)
        return dir + "/preview-\(stamp)-\(getpid()).gif"
    }
}
