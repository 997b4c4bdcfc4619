import Media

/// One still per scene, its middle frame, kept as the compressed packets from the keyframe before
/// it (`VideoDecoder.deferredImage`) and decoded when its pixels are first read. The decoder keeps
/// packets (`retainsPackets`); this lets go of those no middle frame can need any more.
struct MiddleStills {
    let decoder: VideoDecoder
    let fps: Rational
    /// The first frame of the scene still open.
    private(set) var sceneStart = 0
    private(set) var stills: [Image] = []

    init(decoder: VideoDecoder) {
        self.decoder = decoder
        fps = decoder.info.fps
    }

    /// The open scene ends before frame `cut` (a cut, or the frame count at the end): its still.
    /// `timestamps` are the frames' so far.
    mutating func sceneEnds(before cut: Int, timestamps: [Int64], width: Int?, height: Int?) throws {
        let m = Scene.middleFrame(start: sceneStart, stop: cut, fps: fps)
        stills.append(try decoder.deferredImage(atTimestamp: timestamps[m], width: width, height: height))
        sceneStart = cut
    }

    /// No cut can come before frame `earliestCut`: the next middle frame is at least halfway there.
    func release(earliestCut: Int, timestamps: [Int64]) {
        let lowest = max(sceneStart, (sceneStart + earliestCut) / 2 - 1)
        if lowest < timestamps.count { decoder.releasePackets(before: timestamps[lowest]) }
    }
}
