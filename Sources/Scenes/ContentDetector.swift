/// PySceneDetect 0.7's `ContentDetector`, frame for frame: each frame downscaled as its
/// SceneManager does (`OpenCVResize`, only the source rows the filter reads), scored against the
/// previous one in HSV (`ContentScorer`), and cuts passed through its flash filter (`FlashFilter`,
/// MERGE mode: `minSceneLength`). Like PySceneDetect's, it has no post-processing: a merge still
/// pending at the end is lost.
public final class ContentDetector: Detector {
    public let threshold: Double
    public let minSceneLength: Int
    var scorerWeights: ContentWeights { scorer.weights }
    public private(set) var scores: [Double] = []

    private let scorer: ContentScorer
    private var filter: FlashFilter
    private var plan: OpenCVResize?
    private var pass: OpenCVResize.Pass?
    /// The downscaled frame, BGR.
    private var small: [UInt8] = []
    /// The last frame's source rows were byte for byte the previous frame's (its small frame too).
    private(set) var lastUnchanged = false

    public init(threshold: Double = DetectOptions.defaultThreshold, minSceneLength: Int = DetectOptions.defaultMinSceneLength,
                weights: ContentWeights = .default) {
        self.threshold = threshold
        self.minSceneLength = minSceneLength
        scorer = ContentScorer(weights: weights)
        filter = FlashFilter(minLength: minSceneLength)
    }

    /// The detector `detect` runs with `options`.
    public convenience init(_ options: DetectOptions) {
        self.init(threshold: options.threshold, minSceneLength: options.minSceneLength, weights: options.weights)
    }

    public func process(_ frame: some FrameRows, index i: Int) throws -> [Int] {
        if plan == nil || plan!.srcWidth != frame.width || plan!.srcHeight != frame.height {
            plan = OpenCVResize(width: frame.width, height: frame.height)
            pass = OpenCVResize.Pass(plan!)
            small = [UInt8](repeating: 0, count: plan!.width * plan!.height * 3)
        }
        let p = pass!
        let score: Double
        if frame.rowsUnchanged(plan!.rows) && i > 0 {
            // The same bytes in, the same small frame out: its HSV equals the previous, the score is 0.
            score = 0
            lastUnchanged = true
        } else {
            lastUnchanged = false
            try frame.withRows(plan!.rows) { k, row in p.take(k, row) }
            let n = plan!.width * plan!.height
            score = small.withUnsafeMutableBufferPointer { buf -> Double in
                p.finish(into: buf.baseAddress!)
                return scorer.score(bgr: buf.baseAddress!, pixels: n)
            }
        }
        scores.append(score)
        if let cut = filter.filter(frame: i, above: score >= threshold) { return [cut] }
        return []
    }

    public func finish(frameCount: Int) -> [Int] { [] }

    /// The last frame processed, downscaled (BGR, `width`x`height`): what a detector built on this
    /// one (`TransitionDetector`) reads instead of downscaling again.
    func withSmallFrame<R>(_ body: (UnsafeBufferPointer<UInt8>, Int, Int) throws -> R) rethrows -> R {
        try small.withUnsafeBufferPointer { try body($0, plan?.width ?? 0, plan?.height ?? 0) }
    }

    public func earliestPendingCut(next frame: Int) -> Int { filter.earliestPendingCut(next: frame) }
}
