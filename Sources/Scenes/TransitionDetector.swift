import Foundation

/// Cuts that keep the source's editing: `ContentDetector`'s hard cuts (the same frames, the same
/// scores), and gradual transitions — dissolves and fades through black — that it misses or
/// turns into hard cuts, because no single frame of a dissolve differs much from the one before.
///
/// A run of frames that each change a little (more than codec noise on a still picture) is a
/// gradual transition when every frame in it is a blend of the frames either side of the run
/// (the frame before it, P, and its last, N): `F ≈ (1 - α) P + α N` with α rising from 0 to 1
/// (a dissolve), or `F ≈ a P + b N` with `a + b` dipping (a fade through black), and when P and N
/// differ as much as a cut's two frames do (`ContentScorer` at the threshold). The blended
/// frames are those that are neither picture; the cut is where the blend tips to N. Anything
/// else (motion, a caption fading in, a pan) is no transition, and `ContentDetector` alone decides.
public final class TransitionDetector: Detector, TransitionReporting {
    /// Mean absolute difference (levels) of two frames' thumbnails at or above which a frame
    /// is changing: x264's noise on a still picture, averaged over a thumbnail cell, stays far
    /// below; one frame of a 2-second dissolve between pictures that differ as a cut does, above.
    public static let noise = 0.35
    /// The largest residual of a blended frame's fit, relative to how much P and N differ.
    public static let maxResidual = 0.2
    /// α this close to 0 or 1: the frame shows one picture (codec noise on an exact one).
    static let settled = 0.03
    /// A dissolve's `a + b` stays near 1; a fade's dips under this.
    static let fadeDip = 0.85
    /// Thumbnails are about this wide (box means of the detector's downscaled frame).
    static let thumbWidth = 64

    public let content: ContentDetector
    /// The longest run of change that can be a transition (frames): longer is motion.
    public let maxFrames: Int
    public var scores: [Double] { content.scores }

    private var thumb: [Float] = [], previousThumb: [Float] = []
    private var currentSmall: [UInt8] = [], previousSmall: [UInt8] = []
    private var runStart: Int?
    private var runBefore: (thumb: [Float], small: [UInt8])?
    private var runThumbs: [[Float]] = []
    private var runOverflow = false
    /// The run's last changing frame, its small frame, and the quiet and black frames since.
    private var runEnd = 0
    private var runEndSmall: [UInt8] = []
    private var quietFrames = 0, darkFrames = 0
    /// Cuts found and not yet returned, ascending.
    private var pending: [Int] = []
    private var gradual: [Int: Transition] = [:]
    /// Runs that were gradual transitions: a content cut inside one is the transition's.
    private var spans: [ClosedRange<Int>] = []
    /// Every frame's thumbnail difference from the one before (what the runs are made of).
    public private(set) var changes: [Double] = []

    public init(threshold: Double = DetectOptions.defaultThreshold, minSceneLength: Int = DetectOptions.defaultMinSceneLength,
                weights: ContentWeights = .default, maxFrames: Int = 90) {
        content = ContentDetector(threshold: threshold, minSceneLength: minSceneLength, weights: weights)
        self.maxFrames = max(2, maxFrames)
    }

    /// The detector `detect` runs with `options` and `transitions = true`; transitions up to
    /// 3 seconds at `fps`.
    public convenience init(_ options: DetectOptions, fps: Double) {
        self.init(threshold: options.threshold, minSceneLength: options.minSceneLength, weights: options.weights,
                  maxFrames: Int((3 * (fps.isFinite && fps > 0 ? fps : 30)).rounded()))
    }

    public func transition(at cut: Int) -> Transition { gradual[cut] ?? .hard(cut) }

    private var found: [Transition] = []
    public func takeFound() -> [Transition] {
        defer { found = [] }
        return found
    }

    public func process(_ frame: some FrameRows, index i: Int) throws -> [Int] {
        let contentCuts = try content.process(frame, index: i)
        if !content.lastUnchanged || thumb.isEmpty {
            content.withSmallFrame { buf, w, h in
                currentSmall = Array(buf)
                TransitionDetector.thumbnail(buf, width: w, height: h, into: &thumb)
            }
        }
        let d = i > 0 && thumb.count == previousThumb.count ? TransitionDetector.meanAbsDiff(thumb, previousThumb) : 0
        changes.append(d)
        if i > 0 && d >= TransitionDetector.noise {
            if runStart == nil {
                runStart = i
                runBefore = (previousThumb, previousSmall)
                runThumbs = []
                runOverflow = false
            }
            runEnd = i
            runEndSmall = currentSmall
            quietFrames = 0
            darkFrames = 0
            keep(thumb)
        } else if let a = runStart {
            // One quiet frame inside a run is a repeated frame (a rate conversion's); black ones
            // are a fade's middle. Either way the run goes on, up to a point.
            if TransitionDetector.isDark(thumb) { darkFrames += 1 } else { quietFrames += 1 }
            if quietFrames > TransitionDetector.maxRepeats || darkFrames > maxFrames / 3 {
                closeRun(from: a, to: runEnd)
            } else {
                keep(thumb)
            }
        }
        for cut in contentCuts where !spans.contains(where: { $0.contains(cut) }) { insert(cut) }
        previousThumb = thumb
        previousSmall = currentSmall
        return emit(before: min(runStart ?? i + 1, content.earliestPendingCut(next: i + 1)))
    }

    public func finish(frameCount: Int) -> [Int] {
        // A run still open at the end fades out of the video: no next scene to turn into.
        runStart = nil
        runThumbs = []
        return emit(before: Int.max)
    }

    public func earliestPendingCut(next: Int) -> Int {
        var e = min(runStart ?? next, content.earliestPendingCut(next: next))
        for c in pending { e = min(e, gradual[c]?.first ?? c) }
        return e
    }

    private func keep(_ thumb: [Float]) {
        if runOverflow { return }
        if runThumbs.count <= maxFrames { runThumbs.append(thumb) } else { runOverflow = true; runThumbs = [] }
    }

    private func insert(_ cut: Int) {
        guard !pending.contains(cut) else { return }
        pending.append(cut)
        pending.sort()
    }

    private func emit(before barrier: Int) -> [Int] {
        let out = pending.filter { $0 < barrier }
        pending.removeAll { $0 < barrier }
        return out
    }

    /// Frames `a...e` changed, frame `e + 1` did not: whether they were a gradual transition.
    private func closeRun(from a: Int, to e: Int) {
        defer { runStart = nil; runBefore = nil; runThumbs = []; runEndSmall = [] }
        guard !runOverflow, let before = runBefore, e > a, runThumbs.count >= e - a + 1 else { return }
        let run = Array(runThumbs.prefix(e - a + 1))
        // The pictures either side must differ as much as a cut's do.
        let scorer = ContentScorer(weights: content.scorerWeights)
        let score: Double = before.small.withUnsafeBufferPointer { p in
            runEndSmall.withUnsafeBufferPointer { n in
                let pixels = p.count / 3
                guard pixels > 0, n.count == p.count else { return 0 }
                _ = scorer.score(bgr: p.baseAddress!, pixels: pixels)
                return scorer.score(bgr: n.baseAddress!, pixels: pixels)
            }
        }
        guard score >= content.threshold else { return }
        guard let t = TransitionDetector.fit(before: before.thumb, run: run, first: a) else { return }
        gradual[t.cut] = t
        found.append(t)
        spans.append(a...e)
        pending.removeAll { (a...e).contains($0) }
        insert(t.cut)
    }

    /// The transition that `run` (frames `first`...; its last frame is the new picture) makes
    /// from `before`, when every frame but the last is a blend of the two.
    static func fit(before p: [Float], run: [[Float]], first a: Int) -> Transition? {
        guard let n = run.last, n.count == p.count, run.count >= 2 else { return nil }
        let frames = run.dropLast()
        var dn = [Float](repeating: 0, count: p.count)
        for k in 0..<p.count { dn[k] = n[k] - p[k] }
        let nn = dot(dn, dn)
        guard nn > 0 else { return nil }
        // A dissolve: F - P along N - P.
        var alphas: [Double] = [], worst = 0.0
        for f in frames {
            var fp = 0.0, rr = 0.0
            for k in 0..<p.count { fp += Double(f[k] - p[k]) * Double(dn[k]) }
            let alpha = fp / nn
            for k in 0..<p.count { let r = Double(f[k] - p[k]) - alpha * Double(dn[k]); rr += r * r }
            alphas.append(alpha)
            worst = max(worst, (rr / nn).squareRoot())
        }
        let rising = zip(alphas, alphas.dropFirst()).allSatisfy { $1 >= $0 - 0.1 }
        if worst <= maxResidual && rising && alphas.contains(where: { $0 >= 0.1 && $0 <= 0.9 }) {
            let blended = alphas.indices.filter { alphas[$0] > settled && alphas[$0] < 1 - settled }
            guard let lo = blended.first, let hi = blended.last else { return nil }
            let tip = (lo...hi).first { alphas[$0] >= 0.5 } ?? hi + 1
            return Transition(kind: .dissolve, cut: a + tip, first: a + lo, last: a + hi)
        }
        // A fade through black: F ≈ x P + y N, x + y dipping.
        let pp = dot(p, p), pn = dot(p, n), nnn = dot(n, n)
        let det = pp * nnn - pn * pn
        guard det > 1e-9 * pp * nnn else { return nil }
        var xs: [(Double, Double)] = []
        worst = 0
        for f in frames {
            let fp = dot(f, p), fn = dot(f, n)
            let x = (fp * nnn - fn * pn) / det, y = (fn * pp - fp * pn) / det
            var rr = 0.0
            for k in 0..<p.count { let r = Double(f[k]) - x * Double(p[k]) - y * Double(n[k]); rr += r * r }
            xs.append((x, y))
            worst = max(worst, (rr / nn).squareRoot())
        }
        guard worst <= maxResidual, let dip = xs.map({ $0.0 + $0.1 }).min(), dip < fadeDip else { return nil }
        func pure(_ v: (Double, Double)) -> Bool {
            (abs(v.0 - 1) < settled && abs(v.1) < settled) || (abs(v.0) < settled && abs(v.1 - 1) < settled)
        }
        let blended = xs.indices.filter { !pure(xs[$0]) }
        guard let lo = blended.first, let hi = blended.last else { return nil }
        // The cut: the middle of the darkest frames.
        let darkest = (lo...hi).filter { xs[$0].0 + xs[$0].1 <= dip + 0.05 }
        let tip = min(hi + 1, max(lo, ((darkest.first ?? lo) + (darkest.last ?? hi) + 1) / 2))
        return Transition(kind: .fade, cut: a + tip, first: a + lo, last: a + hi)
    }

    /// A quiet frame inside a run that may be a repeat of the one before: more end the run.
    static let maxRepeats = 1
    /// A thumbnail this dark (mean level) is black: a fade's middle.
    static let darkLevel: Float = 12

    static func isDark(_ t: [Float]) -> Bool {
        guard !t.isEmpty else { return false }
        return t.reduce(0, +) / Float(t.count) < darkLevel
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var s = 0.0
                for k in 0..<a.count { s += Double(a[k]) * Double(b[k]) }
                return s
            }
        }
    }

    static func meanAbsDiff(_ a: [Float], _ b: [Float]) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var s: Float = 0
                for k in 0..<a.count { s += abs(a[k] - b[k]) }
                return Double(s) / Double(max(1, a.count))
            }
        }
    }

    /// Box means of a small BGR frame, about `thumbWidth` across: what is left of codec noise
    /// after averaging is far below any edit's change.
    static func thumbnail(_ src: UnsafeBufferPointer<UInt8>, width w: Int, height h: Int, into out: inout [Float]) {
        let f = max(1, w / thumbWidth)
        let tw = max(1, w / f), th = max(1, h / f)
        if out.count != tw * th * 3 { out = [Float](repeating: 0, count: tw * th * 3) }
        guard src.count >= w * h * 3 else { return }
        let norm = 1 / Float(f * f)
        out.withUnsafeMutableBufferPointer { o in
            for ty in 0..<th {
                for tx in 0..<tw {
                    var b: Int = 0, g: Int = 0, r: Int = 0
                    for y in (ty * f)..<(ty * f + f) {
                        var p = (y * w + tx * f) * 3
                        for _ in 0..<f { b += Int(src[p]); g += Int(src[p + 1]); r += Int(src[p + 2]); p += 3 }
                    }
                    let q = (ty * tw + tx) * 3
                    o[q] = Float(b) * norm; o[q + 1] = Float(g) * norm; o[q + 2] = Float(r) * norm
                }
            }
        }
    }
}
