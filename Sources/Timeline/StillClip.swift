import Media

/// One picture held for a length of time. Its reader hands out the same `Image` every time,
/// so the renderer converts it to YUV once.
public final class StillClip: Clip, ExactDurationClip, @unchecked Sendable {
    public let image: Image
    public let fps: Rational
    public let seconds: Double
    public let frameCount: Int
    public var width: Int { image.width }
    public var height: Int { image.height }

    public init(image: Image, seconds: Double, fps: Rational) {
        self.image = image
        self.fps = fps
        self.seconds = seconds
        frameCount = framesCovering(seconds, fps)
    }

    public func makeReader() throws -> any FrameReader { Reader(image) }

    private final class Reader: FrameReader {
        let image: Image
        init(_ image: Image) { self.image = image }
        func frame(_ index: Int) throws -> Image { image }
    }
}

/// A clip whose length is given in seconds rather than frames (pad, still): concat and mux place
/// the next part at exactly that time, so rounding never accumulates over an episode.
public protocol ExactDurationClip: Clip {
    var seconds: Double { get }
}

extension Clip {
    /// The length in seconds that timelines use: exact for pad and still, frames/fps otherwise.
    public var timelineSeconds: Double {
        (self as? any ExactDurationClip)?.seconds ?? Double(frameCount) * Double(fps.den) / Double(fps.num)
    }
}

/// Enough frames at `fps` to cover `seconds` (at least one).
func framesCovering(_ seconds: Double, _ fps: Rational) -> Int {
    max(1, Int((seconds * Double(fps.num) / Double(fps.den) - 1e-6).rounded(.up)))
}
