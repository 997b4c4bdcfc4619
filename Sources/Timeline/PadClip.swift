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
    }

    public let source: any Clip
    public let duration: Double
    public let strategy: Strategy
    public let frameCount: Int
    public var width: Int { source.width }
    public var height: Int { source.height }
    public var fps: Rational { source.fps }

    public init(_ source: any Clip, seconds: Double, strategy: Strategy) {
        self.source = source
        duration = seconds
        self.strategy = strategy
        frameCount = framesCovering(seconds, source.fps)
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
        init(_ inner: any FrameSource, _ clip: PadClip) {
            self.inner = inner
            m = clip.frameCount
            n = clip.source.frameCount
            strategy = clip.strategy
        }
        /// Past the end the strategy goes on (a transition's overlap); before the start, the first frame.
        func frame(_ index: Int) throws -> Image {
            try inner.frame(PadClip.sourceIndex(max(0, index), count: m, sourceCount: n, strategy: strategy))
        }
    }
}
