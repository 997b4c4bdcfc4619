import Media

/// Where each output frame of a clip comes from at an output rate: which part, which of its
/// frames. Part i covers output frames [round(start_i * F), round(stop_i * F)); inside a part,
/// output frame k shows the part's frame at time k / F.
public struct Schedule: Sendable {
    public struct Part: @unchecked Sendable {
        public let clip: any Clip
        public let start: Double
        public let firstFrame: Int
        public let endFrame: Int
    }
    public let parts: [Part]
    public let fps: Rational
    public var frameCount: Int { parts.last?.endFrame ?? 0 }

    public init(_ clip: any Clip, fps: Rational) {
        self.init(parts: (clip as? ConcatClip)?.parts ?? [clip], fps: fps)
    }

    public init(parts clips: [any Clip], fps: Rational) {
        self.fps = fps
        var parts: [Part] = []
        var start = 0.0
        for c in clips {
            let stop = start + c.duration
            let first = Schedule.frame(at: start, fps)
            parts.append(Part(clip: c, start: start, firstFrame: first, endFrame: max(first, Schedule.frame(at: stop, fps))))
            start = stop
        }
        self.parts = parts
    }

    public static func frame(at seconds: Double, _ fps: Rational) -> Int {
        Int((seconds * Double(fps.num) / Double(fps.den)).rounded())
    }

    /// The part's frame shown at local output frame `k` (exact integer arithmetic).
    public func localIndex(_ k: Int, in part: Part) -> Int {
        let c = part.clip.fps
        let i = (k * c.num * fps.den) / (c.den * fps.num)
        return min(max(i, 0), part.clip.frameCount - 1)
    }
}
