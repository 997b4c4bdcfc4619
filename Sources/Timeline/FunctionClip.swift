import Media

/// A clip of frames a function makes (generated frames in memory, frames read from a cache
/// file): how the timeline wraps another layer's `FrameSequence` (svd's) as a clip.
public final class FunctionClip: Clip, @unchecked Sendable {
    public let sequence: FrameSequence
    public var width: Int { sequence.width }
    public var height: Int { sequence.height }
    public var fps: Rational { sequence.fps }
    public var frameCount: Int { sequence.count }

    public init(_ sequence: FrameSequence) { self.sequence = sequence }

    public convenience init(width: Int, height: Int, fps: Rational, frameCount: Int, frame: @escaping @Sendable (Int) throws -> Image) {
        self.init(FrameSequence(width: width, height: height, fps: fps, count: frameCount, frame: frame))
    }

    public convenience init(frames: [Image], fps: Rational) {
        precondition(!frames.isEmpty, "FunctionClip: no frames")
        self.init(width: frames[0].width, height: frames[0].height, fps: fps, frameCount: frames.count) { frames[$0] }
    }

    public func makeReader() throws -> any FrameSource { Reader(sequence) }

    private final class Reader: FrameSource {
        let sequence: FrameSequence
        init(_ sequence: FrameSequence) { self.sequence = sequence }
        func frame(_ index: Int) throws -> Image { try sequence.frame(index) }
    }
}
