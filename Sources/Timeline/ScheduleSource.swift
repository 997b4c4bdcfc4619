import Media

/// A schedule as a frame source: its frames in order, one part's reader open at a time. Consecutive output
/// frames that show the same frame of a part (a 7 fps clip in a 25 fps video) get the same
/// `Image` without asking the part again, so the renderer converts it once.
public final class ScheduleSource: FrameSource {
    let schedule: Schedule
    private var current = -1
    private var reader: (any FrameSource)?
    private var lastLocal = -1
    private var lastImage: Image?

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
}
