import Media

/// A schedule as a frame source: its frames in order, one part's reader open at a time (two
/// inside a transition's window). Consecutive output frames that show the same frame of a part
/// (a 7 fps clip in a 25 fps video) get the same `Image` without asking the part again, so the
/// renderer converts it once.
public final class ScheduleSource: FrameSource {
    let schedule: Schedule
    private var current = -1
    /// The readers open now, by part.
    private var open: [Int: OpenPart] = [:]

    private final class OpenPart {
        let reader: any FrameSource
        var lastLocal = Int.min
        var lastImage: Image?
        init(_ reader: any FrameSource) { self.reader = reader }
    }

    public init(_ schedule: Schedule) { self.schedule = schedule }

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

    public func frame(_ index: Int) throws -> Image {
        let i = partIndex(for: min(index, max(schedule.frameCount - 1, 0))) ?? schedule.parts.count - 1
        current = i
        if let w = schedule.window(at: index, part: i) {
            // Both parts, each at its own place in time (the one before past its end, the one after
            // before its start), mixed.
            keepOpen([w.boundary, w.boundary + 1])
            let a = try image(part: w.boundary, at: index, overhang: true)
            let b = try image(part: w.boundary + 1, at: index, overhang: true)
            return ConcatTransition.mix(a, b, weights: w.transition.weights(index - w.first, of: w.frames))
        }
        keepOpen([i])
        return try image(part: i, at: index, overhang: false)
    }

    /// Lets go of every reader but `parts`' (before opening another: one decoder at a time).
    private func keepOpen(_ parts: [Int]) {
        for k in open.keys where !parts.contains(k) { open[k] = nil }
    }

    private func image(part i: Int, at index: Int, overhang: Bool) throws -> Image {
        let part = schedule.parts[i]
        let k = index - part.firstFrame
        let local = overhang ? schedule.overhangIndex(k, in: part) : schedule.localIndex(k, in: part)
        let p: OpenPart
        if let o = open[i] { p = o } else {
            p = OpenPart(try part.clip.makeReader())
            open[i] = p
        }
        if local == p.lastLocal, let image = p.lastImage { return image }
        p.lastImage = nil
        let image = try p.reader.frame(local)
        p.lastLocal = local
        p.lastImage = image
        return image
    }
}
