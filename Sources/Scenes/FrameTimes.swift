import Media

/// When frame `n` starts, in seconds from the first frame.
struct FrameTimes {
    let fps: Rational
    /// The frames' own times, only when the rate is variable.
    let own: [Double]?
    var variable: Bool { own != nil }

    func time(_ n: Int) -> Double {
        guard let own, !own.isEmpty else { return Double(n) * Double(fps.den) / Double(fps.num) }
        if n < own.count { return own[n] }
        // The end of the last frame: its start plus the gap before it.
        let last = own[own.count - 1]
        let step = own.count > 1 ? last - own[own.count - 2] : Double(fps.den) / Double(fps.num)
        return last + step * Double(n - own.count + 1)
    }
}

/// Constant rate (every timestamp within half a frame of `index / fps`, or some missing): PySceneDetect's
/// `index / fps`, to the bit. Otherwise the frames' own times.
func frameTimes(_ seconds: [Double?], fps: Rational) -> FrameTimes {
    let period = Double(fps.den) / Double(fps.num)
    guard let first = seconds.first ?? nil, !seconds.contains(where: { $0 == nil }) else { return FrameTimes(fps: fps, own: nil) }
    let own = seconds.map { $0! - first }
    var variable = false
    for (n, t) in own.enumerated() where abs(t - Double(n) * period) >= period / 2 { variable = true; break }
    // Timestamps must rise for their own times to mean anything.
    if variable, zip(own, own.dropFirst()).allSatisfy({ $0 < $1 }) { return FrameTimes(fps: fps, own: own) }
    return FrameTimes(fps: fps, own: nil)
}
