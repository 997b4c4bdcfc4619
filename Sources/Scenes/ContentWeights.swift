/// The weights of `ContentScorer`'s score: PySceneDetect's `ContentDetector.Components`.
public struct ContentWeights: Sendable, Equatable {
    public var hue, saturation, luma, edges: Double
    public init(hue: Double = 1, saturation: Double = 1, luma: Double = 1, edges: Double = 0) {
        self.hue = hue; self.saturation = saturation; self.luma = luma; self.edges = edges
    }
    public static let `default` = ContentWeights()
    public static let lumaOnly = ContentWeights(hue: 0, saturation: 0, luma: 1, edges: 0)
}
