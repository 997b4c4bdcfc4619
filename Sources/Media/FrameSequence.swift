/// Numbered pictures at a frame rate, made on demand by a function: how a layer that makes
/// frames (svd's generated clips, read back from the cache file) hands them to the timeline,
/// which wraps them as a clip, without either knowing the other.
public final class FrameSequence: @unchecked Sendable {
    public let width: Int
    public let height: Int
    public let fps: Rational
    public let count: Int
    private let make: @Sendable (Int) throws -> Image

    public init(width: Int, height: Int, fps: Rational, count: Int, frame: @escaping @Sendable (Int) throws -> Image) {
        self.width = width
        self.height = height
        self.fps = fps
        self.count = count
        make = frame
    }

    /// Frame `index`, 0..<count.
    public func frame(_ index: Int) throws -> Image { try make(index) }
}
