import Media

/// A lazy source of frames: a size, a frame rate and a count, and frames made on demand. Clips
/// come from files, stills, kenburns and svd; pad/concat compose them into a description that
/// `mux` renders as one stream, so no clip ever holds a whole video in memory.
public protocol Clip: AnyObject, Sendable {
    var width: Int { get }
    var height: Int { get }
    var fps: Rational { get }
    var frameCount: Int { get }
    /// A reader for one pass over the clip. Readers are cheap; a render makes one per clip use.
    func makeReader() throws -> any FrameReader
}

extension Clip {
    public var duration: Double { Double(frameCount) / fps.double }
}

/// Frames of one clip by index. Calls mostly come in increasing order (a file decodes forward);
/// other orders are allowed and may cost more.
public protocol FrameReader: AnyObject {
    func frame(_ index: Int) throws -> Image
}

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

    public convenience init(frames: [Image], fps: Rational) {
        precondition(!frames.isEmpty, "FunctionClip: no frames")
        self.init(width: frames[0].width, height: frames[0].height, fps: fps, frameCount: frames.count) { frames[$0] }
    }

    public func makeReader() throws -> any FrameReader { Reader(make) }

    private final class Reader: FrameReader {
        let make: (Int) throws -> Image
        init(_ make: @escaping (Int) throws -> Image) { self.make = make }
        func frame(_ index: Int) throws -> Image { try make(index) }
    }
}
