/// A frame rate or time base as FFmpeg keeps it (30000/1001 stays exact; a Double would drift
/// by a frame over a long episode).
public struct Rational: Sendable, Hashable, CustomStringConvertible {
    public let num: Int
    public let den: Int

    public init(_ num: Int, _ den: Int = 1) {
        precondition(den != 0, "Rational: zero denominator")
        let g = Rational.gcd(abs(num), abs(den))
        let sign = den < 0 ? -1 : 1
        self.num = sign * num / max(g, 1)
        self.den = sign * den / max(g, 1)
    }

    public var double: Double { Double(num) / Double(den) }

    /// `30`, `30000/1001`.
    public var description: String { den == 1 ? "\(num)" : "\(num)/\(den)" }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
