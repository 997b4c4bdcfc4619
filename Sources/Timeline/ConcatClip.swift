import Media

/// Clips one after another. Part `i` starts at the sum of the exact lengths before it, so at a
/// frame rate F it starts at frame round(start_i * F) — the same rule `mux` uses. Between two
/// parts a hard cut, or a transition over frames around their boundary (parts keep their places).
public final class ConcatClip: Clip, @unchecked Sendable {
    /// The parts with nested concats flattened.
    public let parts: [any Clip]
    /// `transitions[i]`: how part i turns into part i + 1 (nil: a hard cut); `parts.count - 1` of them.
    public let transitions: [ConcatTransition?]
    public let duration: Double
    public let width: Int
    public let height: Int
    public let fps: Rational
    public let frameCount: Int

    /// - `transitions[i]` joins `clips[i]` to `clips[i + 1]` (missing or nil: a hard cut).
    public init(_ clips: [any Clip], transitions given: [ConcatTransition?] = []) {
        precondition(!clips.isEmpty, "ConcatClip: no clips")
        parts = clips.flatMap { ($0 as? ConcatClip)?.parts ?? [$0] }
        var joins: [ConcatTransition?] = []
        for (i, c) in clips.enumerated() {
            if i > 0 { joins.append(i - 1 < given.count ? given[i - 1] : nil) }
            if let inner = c as? ConcatClip { joins += inner.transitions }
        }
        transitions = joins
        duration = parts.reduce(0) { $0 + $1.duration }
        width = parts.map(\.width).max()!
        height = parts.map(\.height).max()!
        fps = parts[0].fps
        frameCount = Schedule(parts: parts, fps: parts[0].fps).frameCount
    }

    /// Some parts are joined by more than a hard cut.
    public var hasTransitions: Bool { transitions.contains { $0 != nil } }

    public func makeReader() throws -> any FrameSource { ScheduleSource(Schedule(self, fps: fps)) }
}
