import Media

/// A clip shown at another frame rate by `none` (each source frame repeated until the next
/// one's time, as the timeline does without it) or `blend` (each new frame a cross-fade of
/// the two source frames around its time, weighted by how near each is). Frames are made on
/// demand: a blend costs less than reading a cached frame back. Its frames run from the
/// source's first frame to its last (see `MotionInterpolation.outputCount`); `mci` and
/// `minterpolate` are motion-compensated and computed once into the clip cache (LuaAPI's `at_fps`).
public final class RetimedClip: Clip, @unchecked Sendable {
    public enum Method: String, CaseIterable, Sendable {
        case none, blend, mci, minterpolate

        /// Computed once and kept in the clip cache, rather than made on demand.
        public var isMotionCompensated: Bool { self == .mci || self == .minterpolate }
    }

    public let source: any Clip
    public let fps: Rational
    public let method: Method
    public let frameCount: Int
    public var width: Int { source.width }
    public var height: Int { source.height }

    /// `method` is `.none` or `.blend`.
    public init(_ source: any Clip, fps: Rational, method: Method) {
        precondition(!method.isMotionCompensated, "RetimedClip: mci frames come from MotionInterpolation")
        self.source = source
        self.fps = fps
        self.method = method
        frameCount = MotionInterpolation.outputCount(sourceCount: source.frameCount, from: source.fps, to: fps)
    }

    public func makeReader() throws -> any FrameSource { Reader(try source.makeReader(), self) }

    private final class Reader: FrameSource {
        let inner: any FrameSource
        let clip: RetimedClip
        var held: [Int: Image] = [:]
        init(_ inner: any FrameSource, _ clip: RetimedClip) {
            self.inner = inner
            self.clip = clip
        }

        /// Source frame `k`, keeping the last few: consecutive new frames share their neighbours.
        func source(_ k: Int) throws -> Image {
            if let hit = held[k] { return hit }
            let image = try inner.frame(k)
            if held.count >= 3 { held = held.filter { abs($0.key - k) <= 1 } }
            held[k] = image
            return image
        }

        func frame(_ index: Int) throws -> Image {
            let p = MotionInterpolation.sourcePosition(index, from: clip.source.fps, to: clip.fps)
            let k = min(p.index, clip.source.frameCount - 1)
            if clip.method == .none || p.rem == 0 || k + 1 >= clip.source.frameCount { return try source(k) }
            return Image.mix(try source(k), try source(k + 1), weight: Double(p.rem) / Double(p.den))
        }
    }
}
