/// How a picture of another shape fills the output: `cover` crops, `contain` letterboxes.
public enum Fit: String, Sendable, CaseIterable {
    case cover, contain
}
