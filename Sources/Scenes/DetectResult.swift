import Media

/// What `detect` found: the scenes, their cuts and every frame's score.
public struct DetectResult {
    public let info: MediaInfo
    public let scenes: [Scene]
    /// The cut frames (first frames of scenes 2...).
    public let cuts: [Int]
    /// How each cut happens, in the same order (all hard cuts unless transitions were looked for).
    public var transitions: [Transition] = []
    /// Every frame's content score (frame 0: 0).
    public let scores: [Double]
    public let frameCount: Int
    /// The frames' timestamps strayed from `index / fps` by half a frame or more: scene times are
    /// the frames' own (PySceneDetect would give `index / average fps`, wrong there).
    public let variableFrameRate: Bool
    /// CPU seconds that layout analysis took on the scoring thread (0 without it): what it adds
    /// to detect, measured where a shared machine's wall clock cannot tell.
    public var layoutSeconds: Double = 0
}
