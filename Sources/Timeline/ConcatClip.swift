import Media

/// Clips one after another. Part `i` starts at the sum of the exact lengths before it, so at a
/// frame rate F it starts at frame round(start_i * F) — the same rule `mux` uses.
public final class ConcatClip: Clip, @unchecked Sendable {
    /// The parts with nested concats flattened.
    public let parts: [any Clip]
    public let duration: Double
    public let width: Int
    public let height: Int
    public let fps: Rational
    public let frameCount: Int

    public init(_ clips: [any Clip]) {
        precondition(!clips.isEmpty, "ConcatClip: no clips")
        parts = clips.flatMap { ($0 as? ConcatClip)?.parts ?? [$0] }
        duration = parts.reduce(0) { $0 + $1.duration }
        width = parts.map(\.width).max()!
        height = parts.map(\.height).max()!
        fps = parts[0].fps
        frameCount = Schedule(parts: parts, fps: parts[0].fps).frameCount
    }

    public func makeReader() throws -> any FrameSource { ScheduleSource(Schedule(self, fps: fps)) }
}
