import Media

/// One scene: frames `[startFrame, stopFrame)`, times in seconds, and its representative still.
public struct Scene: @unchecked Sendable {
    public var index: Int
    public var startFrame: Int
    public var stopFrame: Int
    public var start: Double
    public var stop: Double
    public var image: Image?
    /// What the frame is made of (picture, background, overlays, statics); nil when not analysed.
    public var layout: SceneLayout?
    /// `image` with the overlays and statics that lie over the picture filled in: full frame size,
    /// so the composition can tell the source's overlay pixels from the picture's.
    public var clean: Image?
    /// `clean` cut to `layout.picture`: what the motion source animates.
    public var picture: Image?
    /// How the scene begins (nil for the first) and ends (nil for the last).
    public var transitionIn: Transition?
    public var transitionOut: Transition?
    /// The source frame `image` shows (nil without stills).
    public var stillFrame: Int?
    public var duration: Double { stop - start }

    public init(index: Int, startFrame: Int, stopFrame: Int, start: Double, stop: Double, image: Image?,
                layout: SceneLayout? = nil, clean: Image? = nil, picture: Image? = nil) {
        self.index = index; self.startFrame = startFrame; self.stopFrame = stopFrame
        self.start = start; self.stop = stop; self.image = image
        self.layout = layout; self.clean = clean; self.picture = picture
    }

    /// PySceneDetect 0.7's frame for one image per scene: the middle, `round((start + dur/2) * fps)`
    /// on its timecodes, which carry the frame's position in whole microseconds (OpenCV's
    /// CAP_PROP_POS_MSEC rounded to µs) — so a scene of odd length rounds as it does there.
    public static func middleFrame(start: Int, stop: Int, fps: Rational) -> Int {
        func micros(_ frame: Int) -> Int {
            Int((Double(frame) * 1e6 * Double(fps.den) / Double(fps.num)).rounded(.toNearestOrEven))
        }
        let s = Double(micros(start)) / 1e6
        let d = Double(micros(stop) - micros(start)) / 1e6
        let m = Int(((s + d / 2.0) * fps.double).rounded(.toNearestOrEven))
        return min(max(m, start), max(start, stop - 1))
    }
}
