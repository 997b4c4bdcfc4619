/// Cross-fading two pictures: the in-between frames of `blend` up-conversion, loop seams and
/// the joins of chained clips.
extension Image {
    /// `a` weighted `1 - weight` plus `b` weighted `weight` (0 gives `a` itself, 1 gives `b`).
    public static func mix(_ a: Image, _ b: Image, weight: Double) -> Image {
        precondition(a.width == b.width && a.height == b.height, "Image.mix: \(a.width)x\(a.height) and \(b.width)x\(b.height)")
        if weight <= 0 { return a }
        if weight >= 1 { return b }
        // Fixed point, 8 fractional bits: exact for 0, 1 and the halves the tests look at, and
        // an integer loop the optimiser vectorises.
        let wb = Int32((weight * 256).rounded()), wa = 256 - wb
        let pa = a.pixels, pb = b.pixels
        var out = [UInt8](repeating: 0, count: pa.count)
        out.withUnsafeMutableBufferPointer { o in
            pa.withUnsafeBufferPointer { x in
                pb.withUnsafeBufferPointer { y in
                    for i in 0..<o.count {
                        o[i] = UInt8(truncatingIfNeeded: (Int32(x[i]) &* wa &+ Int32(y[i]) &* wb &+ 128) >> 8)
                    }
                }
            }
        }
        return Image(width: a.width, height: a.height, pixels: out)
    }
}
