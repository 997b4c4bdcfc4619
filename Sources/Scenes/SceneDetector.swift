import Foundation
import Media

/// Decodes a video once and finds its cuts with a `Detector` (PySceneDetect's ContentDetector by
/// default, frame for frame); each scene's middle frame is kept as the compressed packets from
/// the keyframe before it (one GOP at most) and decoded when its pixels are first read: no second
/// pass over the video, no window of full frames, and no full-size still per scene in memory
/// until asked for.
public enum SceneDetector {
    /// The scenes as PySceneDetect's ContentDetector finds them with `options`.
    public static func detect(path: String, options: DetectOptions = DetectOptions(),
                              progress: Media.Progress? = nil, check: () throws -> Void = {}) throws -> DetectResult {
        try detect(path: path, detector: ContentDetector(options), stills: options.stills, layout: options.layout,
                   progress: progress, check: check)
    }

    /// The scenes that `detector` finds, fed every frame of the video in order; with `stills`,
    /// one still per scene (its middle frame); with `layout`, each scene's layout and clean stills.
    public static func detect(path: String, detector: some Detector, stills keepStills: Bool = true, layout analyse: Bool = true,
                              progress: Media.Progress? = nil, check: () throws -> Void = {}) throws -> DetectResult {
        let decoder = try VideoDecoder(path: path)
        decoder.retainsPackets = keepStills
        let sampler = BGRRowSampler()
        var stills = keepStills ? MiddleStills(decoder: decoder) : nil
        let analyzer = analyse ? LayoutAnalyzer() : nil
        var timestamps: [Int64] = []
        var cuts: [Int] = []
        var size: (width: Int, height: Int)?
        var i = 0
        var sceneStart = 0
        // Per scene: the overlays' regions inside the picture, each with the pixels of a frame
        // where it is absent (nil: the still's own pixels are the picture there).
        var patches: [[(region: PixelRect, image: Image?)]] = []
        // Layout first reads the scene's luma planes; the middle still only when none was kept.
        func sceneEnds(before cut: Int) throws {
            try stills?.sceneEnds(before: cut, timestamps: timestamps, width: size?.width, height: size?.height)
            let middle = Scene.middleFrame(start: sceneStart, stop: cut, fps: decoder.info.fps)
            try analyzer?.timed { try $0.sceneEnds(before: cut, middle: middle, fallback: { stills?.stills.last }) }
            if keepStills, let found = analyzer?.results.last?.patches {
                patches.append(try found.compactMap { p in
                    if p.middleIsAbsent { return (p.region, nil) }
                    guard p.frame < timestamps.count, decoder.keepsPackets(for: timestamps[p.frame]) else { return nil }
                    return (p.region, try decoder.deferredImage(atTimestamp: timestamps[p.frame], width: size?.width, height: size?.height))
                })
            }
            sceneStart = cut
        }

        // Decoding runs on its own thread, a few frames ahead; conversion and scoring on this one.
        let ahead = DecodeAhead(decoder)
        defer { ahead.stop() }
        while let frame = try ahead.next() {
            if i % 16 == 0 { try check() }
            timestamps.append(frame.streamTimestamp)
            size = (frame.width, frame.height)
            sampler.forgetComparison()
            let found = try detector.process(DecodedFrame(frame: frame, sampler: sampler), index: i)
            try analyzer?.timed { try $0.offer(frame, index: i, unchanged: sampler.lastComparison) }
            for cut in found {
                cuts.append(cut)
                try sceneEnds(before: cut)
            }
            stills?.release(earliestCut: detector.earliestPendingCut(next: i + 1), timestamps: timestamps, wholeScene: analyse)
            i += 1
            progress?.update(i)
        }
        progress?.finish()
        ahead.stop()
        guard i > 0 else { throw MediaError("no frame could be decoded from '\(path)'") }
        for cut in detector.finish(frameCount: i) {
            cuts.append(cut)
            try sceneEnds(before: cut)
        }
        try sceneEnds(before: i)
        let layouts = analyzer?.timed { $0.layouts() }
        let fps = decoder.info.fps
        let bounds = [0] + cuts + [i]
        let times = frameTimes(timestamps.map { decoder.seconds(ofFrameTimestamp: $0) }, fps: fps)
        var scenes: [Scene] = []
        for k in 0..<(bounds.count - 1) {
            let image = stills?.stills[k]
            let layout = layouts?[k] ?? size.map { SceneLayout.full(width: $0.width, height: $0.height) }
            let taken = k < patches.count ? patches[k] : []
            let clean = image.flatMap { img in layout.map { CleanStill.clean(img, layout: $0, patches: taken) } }
            let picture = clean.flatMap { c in layout.map { CleanStill.picture(c, rect: $0.picture) } }
            scenes.append(Scene(index: k + 1, startFrame: bounds[k], stopFrame: bounds[k + 1],
                                start: times.time(bounds[k]), stop: times.time(bounds[k + 1]),
                                image: image, layout: layout, clean: clean, picture: picture))
        }
        var result = DetectResult(info: decoder.info, scenes: scenes, cuts: cuts, scores: detector.scores, frameCount: i,
                            variableFrameRate: times.variable)
        result.layoutSeconds = analyzer?.seconds ?? 0
        return result
    }
}
