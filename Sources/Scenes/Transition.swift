/// How one scene turns into the next: a hard cut, or a gradual transition whose frames are
/// blends of the two pictures (a dissolve) or pass through black (a fade). Frames are source
/// frame indices; `cut` is the next scene's first frame (for a gradual one, where the blend
/// tips over to the new picture).
public struct Transition: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case cut, dissolve, fade
    }
    public var kind: Kind
    public var cut: Int
    /// The first and last blended frames (inclusive); for a hard cut the empty span `cut...cut-1`.
    public var first: Int
    public var last: Int
    public var frames: Int { last - first + 1 }
    /// When the first blended frame starts, when the cut frame starts, and when the last blended
    /// frame ends (seconds from the first frame; equal to `cut`'s for a hard cut). Set by detect.
    public var startTime = 0.0, cutTime = 0.0, stopTime = 0.0
    public var isGradual: Bool { kind != .cut }

    public init(kind: Kind, cut: Int, first: Int, last: Int) {
        self.kind = kind; self.cut = cut; self.first = first; self.last = last
    }

    public static func hard(_ cut: Int) -> Transition { Transition(kind: .cut, cut: cut, first: cut, last: cut - 1) }
}

/// A detector that tells how each of its cuts happens (`TransitionDetector`).
public protocol TransitionReporting: Detector {
    /// The transition at `cut`, a cut the detector returned (a hard cut for any other frame).
    func transition(at cut: Int) -> Transition
    /// The gradual transitions found since the last call, as soon as their frames are known
    /// (their cuts may be returned later).
    func takeFound() -> [Transition]
}
