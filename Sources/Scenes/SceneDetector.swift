import Foundation
import Media

/// Decodes a video once and finds its cuts as PySceneDetect's ContentDetector does, frame for
/// frame; each scene's middle frame is kept as the compressed packets from the keyframe before it
/// (one GOP at most) and decoded when its pixels are first read: no second pass over the video,
/// no window of full frames, and no full-size still per scene in memory until asked for.
public enum SceneDetector {
    public static func detect(path: String, options: DetectOptions = DetectOptions(),
                              progress: Media.Progress? = nil, check: () throws -> Void = {}) throws -> DetectResult {
        let decoder = try VideoDecoder(path: path)
        decoder.retainsPackets = options.stills
        let fps = decoder.info.fps
        let sampler = BGRRowSampler()
        let scorer = ContentScorer(weights: options.weights)
        var filter = FlashFilter(minLength: options.minSceneLength)
        var plan: OpenCVResize?
        var pass: OpenCVResize.Pass?
        var small: [UInt8] = []
        var timestamps: [Int64] = []
        var scores: [Double] = []
        var cuts: [Int] = []
        var stills: [Image] = []
        var sceneStart = 0
        var i = 0

        // Decoding runs on its own thread, a few frames ahead; conversion and scoring on this one.
        let ahead = DecodeAhead(decoder)
        defer { ahead.stop() }
        while let frame = try ahead.next() {
            if i % 16 == 0 { try check() }
            timestamps.append(frame.streamTimestamp)
            if plan == nil || plan!.srcWidth != frame.width || plan!.srcHeight != frame.height {
                plan = OpenCVResize(width: frame.width, height: frame.height)
                pass = OpenCVResize.Pass(plan!)
                small = [UInt8](repeating: 0, count: plan!.width * plan!.height * 3)
            }
            let p = pass!
            let score: Double
            if sampler.sourceUnchanged(frame, rows: plan!.rows) && i > 0 {
                // The same bytes in, the same small frame out: its HSV equals the previous, the score is 0.
                score = 0
            } else {
                try sampler.withRows(of: frame, rows: plan!.rows) { k, row in p.take(k, row) }
                let n = plan!.width * plan!.height
                score = small.withUnsafeMutableBufferPointer { buf -> Double in
                    p.finish(into: buf.baseAddress!)
                    return scorer.score(bgr: buf.baseAddress!, pixels: n)
                }
            }
            scores.append(score)
            if let cut = filter.filter(frame: i, above: score >= options.threshold) {
                cuts.append(cut)
                if options.stills {
                    let m = Scene.middleFrame(start: sceneStart, stop: cut, fps: fps)
                    stills.append(try decoder.deferredImage(atTimestamp: timestamps[m], width: frame.width, height: frame.height))
                }
                sceneStart = cut
            }
            if options.stills {
                // The next middle frame is at least halfway to the earliest cut still possible.
                let earliest = filter.earliestPendingCut(next: i + 1)
                let lowest = max(sceneStart, (sceneStart + earliest) / 2 - 1)
                if lowest < timestamps.count { decoder.releasePackets(before: timestamps[lowest]) }
            }
            i += 1
            progress?.update(i)
        }
        progress?.finish()
        ahead.stop()
        guard i > 0 else { throw MediaError("no frame could be decoded from '\(path)'") }
        if options.stills {
            let m = Scene.middleFrame(start: sceneStart, stop: i, fps: fps)
            stills.append(try decoder.deferredImage(atTimestamp: timestamps[m], width: plan?.srcWidth, height: plan?.srcHeight))
        }
        let bounds = [0] + cuts + [i]
        let times = frameTimes(timestamps.map { decoder.seconds(ofFrameTimestamp: $0) }, fps: fps)
        var scenes: [Scene] = []
        for k in 0..<(bounds.count - 1) {
            scenes.append(Scene(index: k + 1, startFrame: bounds[k], stopFrame: bounds[k + 1],
                                start: times.time(bounds[k]), stop: times.time(bounds[k + 1]),
                                image: options.stills ? stills[k] : nil))
        }
        return DetectResult(info: decoder.info, scenes: scenes, cuts: cuts, scores: scores, frameCount: i,
                            variableFrameRate: times.variable)
    }
}
