import Media

/// A clip fitted to exactly `seconds`: a shorter one is extended by a strategy, a longer one is
/// cut (except by `stretch`, which retimes either way).
public final class PadClip: OverhangingClip, @unchecked Sendable {
    public enum Strategy: String, CaseIterable, Sendable {
        /// From the start again.
        case loop
        /// Forward, then backward, then forward: no jump cut.
        case pingpong
        /// Hold the last frame.
        case freeze
        /// Retime the clip's frames over the whole length.
        case stretch
        /// From the start again, the clip's last `seam` frames cross-faded into its first ones
        /// (the first pass plays clean; every later pass starts inside the fade).
        case loopXfade = "loop_xfade"
    }

    public let source: any Clip
    public let duration: Double
    public let strategy: Strategy
    public let frameCount: Int
    /// Frames of the loop_xfade seam (0 for the other strategies).
    public let seam: Int
    public var width: Int { source.width }
    public var height: Int { source.height }
    public var fps: Rational { source.fps }

    /// `seam`: loop_xfade's cross-fade in frames (default half a second, at most a third of the
    /// clip).
    public init(_ source: any Clip, seconds: Double, strategy: Strategy, seam: Int? = nil) {
        self.source = source
        duration = seconds
        self.strategy = strategy
        frameCount = framesCovering(seconds, source.fps)
        let n = source.frameCount
        self.seam = strategy == .loopXfade ? max(0, min(seam ?? Int((source.fps.double / 2).rounded()), n / 3)) : 0
    }

    /// loop_xfade: output frame `i` as source frame `a`, faded toward source frame `b` by `weight`.
    public static func seamPosition(_ i: Int, sourceCount n: Int, seam x: Int) -> (a: Int, b: Int, weight: Double) {
        let period = n - x
        guard x > 0, period > 0, i >= period else { return (period > 0 ? i % max(period, 1) : 0, 0, 0) }
        let j = i % period
        // In the seam the end (period + j) fades out while the start (j) fades in.
        if j < x { return (period + j, j, Double(j + 1) / Double(x + 1)) }
        return (j, 0, 0)
    }

    /// Which source frame output frame `i` shows.
    public static func sourceIndex(_ i: Int, count m: Int, sourceCount n: Int, strategy: Strategy) -> Int {
        guard n > 1 else { return 0 }
        if strategy == .stretch {
            return min(n - 1, i * n / max(m, 1))
        }
        if i < n { return i }
        switch strategy {
        case .loop: return i % n
        case .pingpong:
            let period = 2 * n - 2
            let p = i % period
            return p < n ? p : period - p
        case .loopXfade: return i % n
        case .freeze, .stretch: return n - 1
        }
    }

    public func makeReader() throws -> any FrameSource {
        Reader(try source.makeReader(), self)
    }

    private final class Reader: FrameSource {
        let inner: any FrameSource
        let m: Int, n: Int
        let strategy: Strategy
        let seam: Int
        init(_ inner: any FrameSource, _ clip: PadClip) {
            self.inner = inner
            m = clip.frameCount
            n = clip.source.frameCount
            strategy = clip.strategy
            seam = clip.seam
        }
        /// Past the end the strategy goes on (a transition's overlap); before the start, the first frame.
        func frame(_ index: Int) throws -> Image {
            if strategy == .loopXfade, seam > 0 {
                let p = PadClip.seamPosition(max(0, index), sourceCount: n, seam: seam)
                let a = try inner.frame(p.a)
                return p.weight > 0 ? Image.mix(a, try inner.frame(p.b), weight: p.weight) : a
            }
            return try inner.frame(PadClip.sourceIndex(max(0, index), count: m, sourceCount: n, strategy: strategy))
        }
    }
}
