import Media

/// How one part of a concat turns into the next when not by a hard cut: over the output frames
/// from `before` seconds before their boundary to `after` seconds after it, both parts play and
/// are mixed (a dissolve), or the first fades to black and the second in from it (a fade). The
/// source's own dissolve, reproduced over its frames, keeps the source's editing.
public struct ConcatTransition: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case dissolve, fade
    }
    public var kind: Kind
    public var before: Double
    public var after: Double

    public init(kind: Kind, before: Double, after: Double) {
        self.kind = kind; self.before = max(0, before); self.after = max(0, after)
    }

    /// The weights (out of 256) of the part before and the part after at the `k`th of `n`
    /// blended frames (k from 0): a linear mix, as the source's dissolve is, that never shows
    /// either part alone inside the span.
    public func weights(_ k: Int, of n: Int) -> (Int, Int) {
        let t = Double(k + 1) / Double(n + 1)
        switch kind {
        case .dissolve:
            let b = Int((t * 256).rounded())
            return (256 - b, b)
        case .fade:
            return (Int((max(0, 1 - 2 * t) * 256).rounded()), Int((max(0, 2 * t - 1) * 256).rounded()))
        }
    }

    /// `a` and `b` mixed with `weights` (out of 256); `b` resampled to `a`'s size first if need be.
    public static func mix(_ a: Image, _ b: Image, weights w: (Int, Int)) -> Image {
        let b = (b.width == a.width && b.height == a.height) ? b
            : Bilinear.sample(b, x: 0, y: 0, w: Double(b.width), h: Double(b.height), width: a.width, height: a.height)
        let wa = Int32(w.0), wb = Int32(w.1)
        let n = a.width * a.height * 3
        let pixels = [UInt8](unsafeUninitializedCapacity: n) { out, count in
            a.pixels.withUnsafeBufferPointer { pa in
                b.pixels.withUnsafeBufferPointer { pb in
                    for k in 0..<n { out[k] = UInt8(truncatingIfNeeded: (Int32(pa[k]) * wa + Int32(pb[k]) * wb + 128) >> 8) }
                }
            }
            count = n
        }
        return Image(width: a.width, height: a.height, pixels: pixels)
    }
}

/// A clip whose reader also answers for frames outside `0..<frameCount` (a transition's overlap
/// reads them): a pad goes on with its loop or pingpong, a composed scene shows the source's
/// own frames there. Other clips are held at their first or last frame.
public protocol OverhangingClip: Clip {}
