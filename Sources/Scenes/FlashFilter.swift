/// PySceneDetect's `FlashFilter` in MERGE mode (scenedetect/detector.py): above-threshold frames
/// closer than `minLength` frames are merged; cuts are reported late, possibly never (no post-process).
public struct FlashFilter: Sendable {
    public let minLength: Int
    private var lastAbove: Int?
    private var mergeEnabled = false
    private var mergeTriggered = false
    private var mergeStart = 0

    public init(minLength: Int) { self.minLength = minLength }

    /// The earliest frame a cut still to be emitted could fall on (for releasing kept data).
    public func earliestPendingCut(next frame: Int) -> Int { mergeTriggered ? mergeStart : frame }

    public mutating func filter(frame f: Int, above: Bool) -> Int? {
        if lastAbove == nil { lastAbove = f }
        let met = f - lastAbove! >= minLength
        if above { lastAbove = f }
        if mergeTriggered {
            if met && !above && lastAbove! - mergeStart >= minLength {
                mergeTriggered = false
                return lastAbove
            }
            return nil
        }
        guard above else { return nil }
        if met { mergeEnabled = true; return f }
        if mergeEnabled { mergeTriggered = true; mergeStart = f }
        return nil
    }
}
