/// The options of `detect`, with PySceneDetect's meaning.
public struct DetectOptions: Sendable {
    /// The original pipeline's threshold (PySceneDetect's own default is 27).
    public static let defaultThreshold = 30.0
    /// PySceneDetect's API default: a cut needs 15 frames since the last above-threshold frame.
    public static let defaultMinSceneLength = 15

    public var threshold = DetectOptions.defaultThreshold
    public var minSceneLength = DetectOptions.defaultMinSceneLength
    public var weights = ContentWeights.default
    /// Keep one representative still (the middle frame) per scene.
    public var stills = true
    /// Find each scene's layout (picture, overlays, statics) during the pass; else every scene's
    /// layout is the full frame.
    public var layout = true
    /// Find gradual transitions too (`TransitionDetector`): dissolves and fades become cuts with
    /// their blended frames known, and stills are taken away from them. Off: PySceneDetect's cuts.
    public var transitions = false

    public init() {}
}
