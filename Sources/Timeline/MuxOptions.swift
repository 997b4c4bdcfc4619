import Media

/// What `mux` makes of a clip and a soundtrack.
public struct MuxOptions: Sendable {
    public var width: Int?
    public var height: Int?
    public var fps: Rational?
    public var fit: Fit = .cover
    public var encoder = VideoEncoderSettings()
    public var showProgress: Bool?
    public init() {}
}
