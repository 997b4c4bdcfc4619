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
        if options.transitions {
            let fps = try MediaInfo.probe(path).fps.double
            return try detect(path: path, detector: TransitionDetector(options, fps: fps), stills: options.stills,
                              layout: options.layout, progress: progress, check: check)
        }
        return try detect(path: path, detector: ContentDetector(options), stills: options.stills, layout: options.layout,
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
        let reporting = detector as? any TransitionReporting
        var transitions: [Transition] = []
        var transitionIn: Transition?
        var stillFrames: [Int] = []
        // Per scene: the overlays' regions inside the picture, each with the pixels of a frame
        // where it is absent (nil: the still's own pixels are the picture there).
        var patches: [[(region: PixelRect, image: Image?)]] = []
        // The scene's still and layout come from the frames that show its picture alone: past a
        // gradual transition's blended frames at either end (the whole scene when none are left).
        // Layout first reads the scene's luma planes; the middle still only when none was kept.
        func sceneEnds(before cut: Int, out: Transition?) throws {
            var clean = sceneStart..<cut
            if let t = transitionIn, t.isGradual { clean = min(max(sceneStart, t.last + 1), cut)..<cut }
            if let t = out, t.isGradual { clean = clean.lowerBound..<max(clean.lowerBound, min(cut, t.first)) }
            if clean.isEmpty { clean = sceneStart..<cut }
            let middle = Scene.middleFrame(start: clean.lowerBound, stop: clean.upperBound, fps: decoder.info.fps)
            let next = out.map { $0.isGradual ? max(cut, $0.last + 1) : cut } ?? cut
            try stills?.sceneEnds(still: middle, nextStart: next, timestamps: timestamps, width: size?.width, height: size?.height)
            stillFrames.append(middle)
            try analyzer?.timed { try $0.sceneEnds(before: cut, middle: middle, clean: clean, fallback: { stills?.stills.last }) }
            if keepStills, let found = analyzer?.results.last?.patches {
                patches.append(try found.compactMap { p in
                    if p.middleIsAbsent { return (p.region, nil) }
                    guard p.frame < timestamps.count, decoder.keepsPackets(for: timestamps[p.frame]) else { return nil }
                    return (p.region, try decoder.deferredImage(atTimestamp: timestamps[p.frame], width: size?.width, height: size?.height))
                })
            }
            sceneStart = cut
            transitionIn = out
        }
        func cutFound(_ cut: Int) throws {
            let t = reporting?.transition(at: cut) ?? .hard(cut)
            cuts.append(cut)
            transitions.append(t)
            try sceneEnds(before: cut, out: t)
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
            for t in reporting?.takeFound() ?? [] { analyzer?.timed { $0.settle(after: t.last, through: i) } }
            for cut in found { try cutFound(cut) }
            stills?.release(earliestCut: detector.earliestPendingCut(next: i + 1), timestamps: timestamps, wholeScene: analyse)
            i += 1
            progress?.update(i)
        }
        progress?.finish()
        ahead.stop()
        guard i > 0 else { throw MediaError("no frame could be decoded from '\(path)'") }
        for cut in detector.finish(frameCount: i) { try cutFound(cut) }
        try sceneEnds(before: i, out: nil)
        let layouts = analyzer?.timed { $0.layouts() }
        let fps = decoder.info.fps
        let bounds = [0] + cuts + [i]
        let times = frameTimes(timestamps.map { decoder.seconds(ofFrameTimestamp: $0) }, fps: fps)
        for k in transitions.indices {
            transitions[k].startTime = times.time(transitions[k].first)
            transitions[k].cutTime = times.time(transitions[k].cut)
            transitions[k].stopTime = times.time(transitions[k].last + 1)
        }
        var scenes: [Scene] = []
        for k in 0..<(bounds.count - 1) {
            let image = stills?.stills[k]
            let layout = layouts?[k] ?? size.map { SceneLayout.full(width: $0.width, height: $0.height) }
            let taken = k < patches.count ? patches[k] : []
            let clean = image.flatMap { img in layout.map { CleanStill.clean(img, layout: $0, patches: taken) } }
            let picture = clean.flatMap { c in layout.map { CleanStill.picture(c, rect: $0.picture) } }
            var scene = Scene(index: k + 1, startFrame: bounds[k], stopFrame: bounds[k + 1],
                              start: times.time(bounds[k]), stop: times.time(bounds[k + 1]),
                              image: image, layout: layout, clean: clean, picture: picture)
            scene.transitionIn = k > 0 ? transitions[k - 1] : nil
            scene.transitionOut = k < transitions.count ? transitions[k] : nil
            scene.stillFrame = stills == nil ? nil : stillFrames[k]
            scenes.append(scene)
        }
        var result = DetectResult(info: decoder.info, scenes: scenes, cuts: cuts, scores: detector.scores, frameCount: i,
                            variableFrameRate: times.variable)
        result.transitions = transitions
        result.layoutSeconds = analyzer?.seconds ?? 0
        return result
    }
}
