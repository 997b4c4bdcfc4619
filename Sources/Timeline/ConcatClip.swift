import Media

/// Clips one after another. Part `i` starts at the sum of the exact lengths before it, so at a
/// frame rate F it starts at frame round(start_i * F) — the same rule `mux` uses.
public final class ConcatClip: Clip, ExactDurationClip, @unchecked Sendable {
    /// The parts with nested concats flattened.
    public let parts: [any Clip]
    public let seconds: Double
    public let width: Int
    public let height: Int
    public let fps: Rational
    public let frameCount: Int

    public init(_ clips: [any Clip]) {
        precondition(!clips.isEmpty, "ConcatClip: no clips")
        parts = clips.flatMap { ($0 as? ConcatClip)?.parts ?? [$0] }
        seconds = parts.reduce(0) { $0 + $1.timelineSeconds }
        width = parts.map(\.width).max()!
        height = parts.map(\.height).max()!
        fps = parts[0].fps
        frameCount = Schedule(parts: parts, fps: parts[0].fps).frameCount
    }

    public func makeReader() throws -> any FrameReader { ScheduleReader(Schedule(self, fps: fps)) }
}

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
            let stop = start + c.timelineSeconds
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

/// Reads a schedule's frames in order, one part's reader open at a time. Consecutive output
/// frames that show the same frame of a part (a 7 fps clip in a 25 fps video) get the same
/// `Image` without asking the part again, so the renderer converts it once.
final class ScheduleReader: FrameReader {
    let schedule: Schedule
    private var current = -1
    private var reader: (any FrameReader)?
    private var lastLocal = -1
    private var lastImage: Image?

    init(_ schedule: Schedule) { self.schedule = schedule }

    /// The part for output frame `index` (nil past the end).
    func partIndex(for index: Int) -> Int? {
        let parts = schedule.parts
        if current >= 0 && current < parts.count && parts[current].firstFrame <= index && index < parts[current].endFrame {
            return current
        }
        var lo = 0, hi = parts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if parts[mid].endFrame <= index { lo = mid + 1 } else { hi = mid }
        }
        return lo < parts.count ? lo : nil
    }

    func frame(_ index: Int) throws -> Image {
        let i = partIndex(for: min(index, max(schedule.frameCount - 1, 0))) ?? schedule.parts.count - 1
        if i != current || reader == nil {
            reader = nil
            lastImage = nil
            reader = try schedule.parts[i].clip.makeReader()
            current = i
        }
        let part = schedule.parts[i]
        let local = schedule.localIndex(index - part.firstFrame, in: part)
        if local == lastLocal, let lastImage { return lastImage }
        lastImage = nil
        let image = try reader!.frame(local)
        lastLocal = local
        lastImage = image
        return image
    }

    /// Which part frame `index` belongs to (for the renderer's reuse of stills).
    var currentPart: Int { current }
}
