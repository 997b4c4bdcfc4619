import Media

/// What `mux` made: the file, its stream and where the time went.
public struct MuxResult: Sendable {
    public let path: String
    public let frames: Int
    public let width: Int
    public let height: Int
    public let fps: Rational
    public let videoSeconds: Double
    public let audioSeconds: Double?
    public let audioCopied: Bool
    public let elapsed: Double
    /// Seconds inside libx264 (the encoder's share of `elapsed`).
    public let encodeSeconds: Double
    /// Seconds the encoder waited for frames from the producer (reading clips, converting).
    public let waitSeconds: Double
}
