import Media

/// One picture held for a length of time. Its reader hands out the same `Image` every time,
/// so the renderer converts it to YUV once.
public final class StillClip: Clip, @unchecked Sendable {
    public let image: Image
    public let fps: Rational
    public let duration: Double
    public let frameCount: Int
    public var width: Int { image.width }
    public var height: Int { image.height }

    public init(image: Image, seconds: Double, fps: Rational) {
        self.image = image
        self.fps = fps
        duration = seconds
        frameCount = framesCovering(seconds, fps)
    }

    public func makeReader() throws -> any FrameSource { Reader(image) }

    private final class Reader: FrameSource {
        let image: Image
        init(_ image: Image) { self.image = image }
        func frame(_ index: Int) throws -> Image { image }
    }
}
