/// The video stream an MP4 gets: its size (even, for yuv420p), rate, how pictures of another
/// shape fill it, and libx264's settings.
public struct VideoOutput: Sendable {
    public var width: Int
    public var height: Int
    public var fps: Rational
    public var fit: Fit
    public var encoder: VideoEncoderSettings

    public init(width: Int, height: Int, fps: Rational, fit: Fit = .cover, encoder: VideoEncoderSettings = VideoEncoderSettings()) {
        self.width = width
        self.height = height
        self.fps = fps
        self.fit = fit
        self.encoder = encoder
    }
}
