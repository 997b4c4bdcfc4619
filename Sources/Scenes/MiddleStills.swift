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

    /// Frames of the open scene kept whole when `wholeScene`: the clean still may take a region
    /// from any of its frames (where a caption is absent). Past it, memory wins: only frames from
    /// the middle on stay decodable.
    static let wholeSceneFrames = 1500

    /// No cut can come before frame `earliestCut`: the next middle frame is at least halfway there.
    /// `wholeScene`: keep every frame of the open scene (up to `wholeSceneFrames`).
    func release(earliestCut: Int, timestamps: [Int64], wholeScene: Bool = false) {
        let keepAll = wholeScene && earliestCut - sceneStart <= MiddleStills.wholeSceneFrames
        let lowest = keepAll ? sceneStart : max(sceneStart, (sceneStart + earliestCut) / 2 - 1)
        if lowest < timestamps.count { decoder.releasePackets(before: timestamps[lowest]) }
    }
}
