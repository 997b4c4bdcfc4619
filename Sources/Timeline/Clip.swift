import Media

/// A lazy source of frames: a size, a frame rate and a count, and frames made on demand. Clips
/// come from files, stills, kenburns and svd; pad/concat compose them into a description that
/// `mux` renders as one stream, so no clip ever holds a whole video in memory.
public protocol Clip: AnyObject, Sendable {
    var width: Int { get }
    var height: Int { get }
    var fps: Rational { get }
    var frameCount: Int { get }
    /// The clip's length in seconds: what concat and mux place the next part after. Exact for
    /// clips given in seconds (pad, still, concat), so rounding never accumulates over an
    /// episode; `frameCount / fps` for the others.
    var duration: Double { get }
    /// A reader for one pass over the clip. Readers are cheap; a render makes one per clip use.
    func makeReader() throws -> any FrameSource
}

extension Clip {
    public var duration: Double { Double(frameCount) * Double(fps.den) / Double(fps.num) }
}
