/// A scene detector, modelled on PySceneDetect's `SceneDetector`: frames go in one at a time
/// (`process`, its `process_frame`), cuts come out as soon as the detector is sure of them,
/// possibly for earlier frames, and `finish` (its `post_process`) gives those still pending at
/// the end of the stream. A cut is the first frame of a new scene.
public protocol Detector: AnyObject {
    /// Reads frame `index` (0, 1, 2, … in order) and returns the cuts now known, ascending.
    func process(_ frame: some FrameRows, index: Int) throws -> [Int]
    /// The stream ended after `frameCount` frames: the cuts still pending, ascending.
    func finish(frameCount: Int) -> [Int]
    /// Every frame's score so far, in order (what the detector compares with its threshold).
    var scores: [Double] { get }
    /// The earliest frame a cut not yet returned could fall on, once frames before `next` are
    /// processed (`next` when none is pending): a caller may let go of what it keeps per frame
    /// before it.
    func earliestPendingCut(next: Int) -> Int
}
