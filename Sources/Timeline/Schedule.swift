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
    /// The output frames `first...last` (inclusive) where part `boundary` turns into part
    /// `boundary + 1` by `transition`: both parts' frames, mixed.
    public struct Window: Sendable, Equatable {
        public let boundary: Int
        public let first: Int
        public let last: Int
        public let transition: ConcatTransition
        public var frames: Int { last - first + 1 }
    }
    public let parts: [Part]
    public let fps: Rational
    /// By boundary (part i to part i + 1); none for hard cuts.
    public let windows: [Int: Window]
    public var frameCount: Int { parts.last?.endFrame ?? 0 }

    public init(_ clip: any Clip, fps: Rational) {
        let concat = clip as? ConcatClip
        self.init(parts: concat?.parts ?? [clip], fps: fps, transitions: concat?.transitions ?? [])
    }

    /// Part i's window spans round((boundary - before) * F) to round((boundary + after) * F) - 1,
    /// inside the two parts: at the source's rate, the very frames of a dissolve detect found.
    public init(parts clips: [any Clip], fps: Rational, transitions: [ConcatTransition?] = []) {
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
        var windows: [Int: Window] = [:]
        for (b, t) in transitions.enumerated() where b + 1 < parts.count {
            guard let t else { continue }
            let boundary = parts[b + 1].start
            let first = max(parts[b].firstFrame, Schedule.frame(at: boundary - t.before, fps))
            let last = min(parts[b + 1].endFrame - 1, Schedule.frame(at: boundary + t.after, fps) - 1)
            if last >= first { windows[b] = Window(boundary: b, first: first, last: last, transition: t) }
        }
        self.windows = windows
    }

    /// The window output frame `index` of part `i` lies in, if any.
    public func window(at index: Int, part i: Int) -> Window? {
        if let w = windows[i - 1], index >= w.first && index <= w.last { return w }
        if let w = windows[i], index >= w.first && index <= w.last { return w }
        return nil
    }

    /// The part's frame at local output frame `k`, which may lie outside the part (a window's
    /// overlap): unclamped for a clip that answers there, else held at its first or last frame.
    public func overhangIndex(_ k: Int, in part: Part) -> Int {
        guard part.clip is any OverhangingClip else { return localIndex(k, in: part) }
        let c = part.clip.fps
        let n = k * c.num * fps.den, d = c.den * fps.num
        return n >= 0 ? n / d : -((-n + d - 1) / d)
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
