import Media

/// A clip whose frames a function makes (generated frames in memory, frames read from a cache
/// file): the way other layers (svd) hand frames to the timeline.
public final class FunctionClip: Clip, @unchecked Sendable {
    public let width: Int
    public let height: Int
    public let fps: Rational
    public let frameCount: Int
    private let make: @Sendable (Int) throws -> Image

    public init(width: Int, height: Int, fps: Rational, frameCount: Int, frame: @escaping @Sendable (Int) throws -> Image) {
        self.width = width
        self.height = height
        self.fps = fps
        self.frameCount = frameCount
        self.make = frame
    }

    /// Frames made by another layer (svd's, the clip cache's).
    public convenience init(_ sequence: FrameSequence) {
        self.init(width: sequence.width, height: sequence.height, fps: sequence.fps, frameCount: sequence.count,
                  frame: sequence.frame)
    }

    public convenience init(frames: [Image], fps: Rational) {
        precondition(!frames.isEmpty, "FunctionClip: no frames")
        self.init(width: frames[0].width, height: frames[0].height, fps: fps, frameCount: frames.count) { frames[$0] }
    }

    public func makeReader() throws -> any FrameSource { Reader(make) }

    private final class Reader: FrameSource {
        let make: (Int) throws -> Image
        init(_ make: @escaping (Int) throws -> Image) { self.make = make }
        func frame(_ index: Int) throws -> Image { try make(index) }
    }
}
