/// PySceneDetect 0.7's `ContentDetector._calculate_frame_score`: OpenCV's 8-bit BGR→HSV
/// (imgproc/src/color_hsv.simd.hpp, `hsv_shift = 12`, H in 0..179), then the mean absolute
/// difference of H, S and V against the previous frame, weighted.
public final class ContentScorer {
    static let sdiv: [Int32] = (0..<256).map { $0 == 0 ? 0 : Int32((Double(255 << 12) / Double($0)).rounded(.toNearestOrEven)) }
    static let hdiv: [Int32] = (0..<256).map { $0 == 0 ? 0 : Int32((Double(180 << 12) / (6.0 * Double($0))).rounded(.toNearestOrEven)) }

    public let weights: ContentWeights
    private var h: [UInt8] = [], s: [UInt8] = [], v: [UInt8] = []
    private var ph: [UInt8] = [], ps: [UInt8] = [], pv: [UInt8] = []
    private var hasPrevious = false

    public init(weights: ContentWeights) {
        precondition(weights.edges == 0, "edge weights are not supported")
        self.weights = weights
    }

    /// OpenCV's COLOR_BGR2HSV for 8-bit pixels into the H, S, V planes.
    static func hsv(_ bgr: UnsafePointer<UInt8>, count n: Int, h: inout [UInt8], s: inout [UInt8], v: inout [UInt8]) {
        sdiv.withUnsafeBufferPointer { sdiv in
            hdiv.withUnsafeBufferPointer { hdiv in
                h.withUnsafeMutableBufferPointer { H in
                    s.withUnsafeMutableBufferPointer { S in
                        v.withUnsafeMutableBufferPointer { V in
                            for i in 0..<n {
                                let b = Int32(bgr[3 * i]), g = Int32(bgr[3 * i + 1]), r = Int32(bgr[3 * i + 2])
                                let vmax = max(b, max(g, r)), vmin = min(b, min(g, r))
                                let diff = vmax - vmin
                                let sat = (diff * sdiv[Int(vmax)] + 2048) >> 12
                                var hn: Int32
                                if vmax == r { hn = g - b } else if vmax == g { hn = b - r + 2 * diff } else { hn = r - g + 4 * diff }
                                var hue = (hn * hdiv[Int(diff)] + 2048) >> 12
                                if hue < 0 { hue += 180 }
                                H[i] = UInt8(truncatingIfNeeded: hue); S[i] = UInt8(truncatingIfNeeded: sat); V[i] = UInt8(truncatingIfNeeded: vmax)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The score of this small BGR frame against the previous one (0 for the first).
    public func score(bgr: UnsafePointer<UInt8>, pixels n: Int) -> Double {
        if h.count != n {
            h = [UInt8](repeating: 0, count: n); s = h; v = h
            ph = h; ps = h; pv = h
            hasPrevious = false
        }
        ContentScorer.hsv(bgr, count: n, h: &h, s: &s, v: &v)
        defer { swap(&h, &ph); swap(&s, &ps); swap(&v, &pv); hasPrevious = true }
        guard hasPrevious else { return 0 }
        let dh = Double(ContentScorer.sad(h, ph)) / Double(n)
        let ds = Double(ContentScorer.sad(s, ps)) / Double(n)
        let dv = Double(ContentScorer.sad(v, pv)) / Double(n)
        // Python: sum(component * weight ...) / sum(abs(weight)), in this order.
        var total = 0.0
        total += dh * weights.hue
        total += ds * weights.saturation
        total += dv * weights.luma
        total += 0.0 * weights.edges
        let norm = abs(weights.hue) + abs(weights.saturation) + abs(weights.luma) + abs(weights.edges)
        return total / norm
    }

    static func sad(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var sum = 0
                for i in 0..<a.count { sum &+= abs(Int(a[i]) &- Int(b[i])) }
                return sum
            }
        }
    }
}
