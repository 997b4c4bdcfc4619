import Media

/// Enough frames at `fps` to cover `seconds` (at least one).
func framesCovering(_ seconds: Double, _ fps: Rational) -> Int {
    max(1, Int((seconds * Double(fps.num) / Double(fps.den) - 1e-6).rounded(.up)))
}
