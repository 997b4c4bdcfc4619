import Dispatch
import Media

/// A slow pan and zoom over a still, sampled bilinearly at float coordinates so the motion is
/// sub-pixel smooth (ffmpeg's `zoompan` rounds the window to whole pixels and jitters).
public final class KenBurnsClip: Clip, @unchecked Sendable {
    public enum Direction: String, CaseIterable, Sendable { case `in`, out }
    public enum Pan: String, CaseIterable, Sendable { case left, right, up, down, none }
    public enum Easing: String, CaseIterable, Sendable {
        case linear, ease = "ease", easeIn = "ease-in", easeOut = "ease-out"
        func apply(_ t: Double) -> Double {
            switch self {
            case .linear: return t
            case .ease: return t * t * (3 - 2 * t)
            case .easeIn: return t * t
            case .easeOut: return 1 - (1 - t) * (1 - t)
            }
        }
    }

    public struct Options: Sendable {
        public var seconds = 4.0
        public var fps = Rational(30)
        /// The largest zoom (1.0 = the whole picture).
        public var zoom = 1.15
        public var direction: Direction?
        public var pan: Pan?
        public var easing = Easing.ease
        public var seed: Int?
        public var width: Int?
        public var height: Int?
        public init() {}
    }

    public let image: Image
    public let width: Int
    public let height: Int
    public let fps: Rational
    public let duration: Double
    public let frameCount: Int
    public let zoom: Double
    public let direction: Direction
    public let pan: Pan
    public let easing: Easing

    public init(image: Image, options o: Options) {
        self.image = image
        width = o.width ?? image.width
        height = o.height ?? image.height
        fps = o.fps
        duration = o.seconds
        frameCount = framesCovering(o.seconds, o.fps)
        zoom = max(1, o.zoom)
        // A seed picks a varied default per scene; without one: zoom in, no pan.
        var rng = SplitMix64(seed: UInt64(bitPattern: Int64(o.seed ?? 0)))
        let seeded = o.seed != nil
        let d: Direction = seeded ? (rng.next() % 2 == 0 ? .in : .out) : .in
        let p: Pan = seeded ? [Pan.left, .right, .up, .down, .none][Int(rng.next() % 5)] : .none
        direction = o.direction ?? d
        pan = o.pan ?? p
        easing = o.easing
    }

    /// The source window (x, y, w, h) of frame `i`, in source pixels (floats).
    public func window(_ i: Int) -> (x: Double, y: Double, w: Double, h: Double) {
        let t = frameCount > 1 ? Double(i) / Double(frameCount - 1) : 0
        let e = easing.apply(min(max(t, 0), 1))
        let z = direction == .in ? 1 + (zoom - 1) * e : zoom - (zoom - 1) * e
        let sw = Double(image.width), sh = Double(image.height)
        // The largest window of the output's shape inside the picture, then zoomed.
        let aspect = Double(width) / Double(height)
        var w = sw, h = sw / aspect
        if h > sh { h = sh; w = sh * aspect }
        w /= z; h /= z
        // Pan travels across the room the zoom leaves (the whole of it at the largest zoom).
        var fx = 0.5, fy = 0.5
        switch pan {
        case .left: fx = 1 - e
        case .right: fx = e
        case .up: fy = 1 - e
        case .down: fy = e
        case .none: break
        }
        return ((sw - w) * fx, (sh - h) * fy, w, h)
    }

    public func makeReader() throws -> any FrameSource { Reader(self) }

    private final class Reader: FrameSource {
        let clip: KenBurnsClip
        init(_ clip: KenBurnsClip) { self.clip = clip }
        func frame(_ index: Int) throws -> Image {
            let w = clip.window(min(max(index, 0), clip.frameCount - 1))
            return Bilinear.sample(clip.image, x: w.x, y: w.y, w: w.w, h: w.h, width: clip.width, height: clip.height)
        }
    }
}

/// Bilinear resampling of a float window of a picture (separable weights, rows in parallel).
public enum Bilinear {
    public static func sample(_ src: Image, x: Double, y: Double, w: Double, h: Double, width: Int, height: Int) -> Image {
        let sw = src.width, sh = src.height
        let sx = w / Double(width), sy = h / Double(height)
        var x0 = [Int32](repeating: 0, count: width), wx = [Float](repeating: 0, count: width)
        for i in 0..<width {
            let fx = min(max(x + (Double(i) + 0.5) * sx - 0.5, 0), Double(sw - 1))
            let f = fx.rounded(.down)
            x0[i] = Int32(min(Int(f), sw - 2 < 0 ? 0 : sw - 2))
            wx[i] = Float(fx - Double(x0[i]))
        }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let rowBytes = sw * 3
        let x0c = x0, wxc = wx
        src.pixels.withUnsafeBufferPointer { spx in
            out.withUnsafeMutableBufferPointer { dpx in
                let s = UInt(bitPattern: spx.baseAddress!), d = UInt(bitPattern: dpx.baseAddress!)
                let chunks = height >= 64 ? 4 : 1
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let sp = UnsafePointer<UInt8>(bitPattern: s)!, dp = UnsafeMutablePointer<UInt8>(bitPattern: d)!
                    for j in (height * c / chunks)..<(height * (c + 1) / chunks) {
                        let fy = min(max(y + (Double(j) + 0.5) * sy - 0.5, 0), Double(sh - 1))
                        let y0 = min(Int(fy.rounded(.down)), max(sh - 2, 0))
                        let y1 = min(y0 + 1, sh - 1)
                        let wy = Float(fy - Double(y0))
                        let r0 = sp + y0 * rowBytes, r1 = sp + y1 * rowBytes
                        let o = dp + j * width * 3
                        for i in 0..<width {
                            let xa = Int(x0c[i]) * 3
                            let xb = min(Int(x0c[i]) + 1, sw - 1) * 3
                            let a = wxc[i]
                            for k in 0..<3 {
                                let top = Float(r0[xa + k]) + (Float(r0[xb + k]) - Float(r0[xa + k])) * a
                                let bot = Float(r1[xa + k]) + (Float(r1[xb + k]) - Float(r1[xa + k])) * a
                                o[i * 3 + k] = UInt8(min(255, max(0, top + (bot - top) * wy + 0.5)))
                            }
                        }
                    }
                }
            }
        }
        return Image(width: width, height: height, pixels: out)
    }
}

/// A small, fast, seedable generator (same sequence on every machine).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E3779B97F4A7C15 }
    mutating func next() -> UInt64 {
        state = state &+ 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
