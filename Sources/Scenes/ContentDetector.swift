/// PySceneDetect 0.7's `ContentDetector`, frame for frame: each frame downscaled as its
/// SceneManager does (`OpenCVResize`, only the source rows the filter reads), scored against the
/// previous one in HSV (`ContentScorer`), and cuts passed through its flash filter (`FlashFilter`,
/// MERGE mode: `minSceneLength`). Like PySceneDetect's, it has no post-processing: a merge still
/// pending at the end is lost.
public final class ContentDetector: Detector {
    public let threshold: Double
    public let minSceneLength: Int
    public private(set) var scores: [Double] = []

    private let scorer: ContentScorer
    private var filter: FlashFilter
    private var plan: OpenCVResize?
    private var pass: OpenCVResize.Pass?
    /// The downscaled frame, BGR.
    private var small: [UInt8] = []

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
        } else {
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

    public func earliestPendingCut(next frame: Int) -> Int { filter.earliestPendingCut(next: frame) }
}
