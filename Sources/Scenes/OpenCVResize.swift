/// PySceneDetect 0.7's downscale: the longer side becomes 256 (`f = max(W,H)/256`, sizes
/// rounded half-to-even), resized with OpenCV's `INTER_LINEAR` for 8-bit data — two taps per
/// axis with 11-bit weights, whatever the factor — or `INTER_AREA` when exactly 2x. Ports
/// `cv::resize` (imgproc/src/resize.cpp: HResizeLinear, VResizeLinear's SIMD path, resizeAreaFast).
public struct OpenCVResize: Sendable {
    public static let minWidth = 256.0   // scenedetect DEFAULT_MIN_WIDTH

    /// One axis: for each destination index, the source index and its two weights.
    struct Axis: Sendable {
        let source: [Int]
        let w0: [Int32]
        let w1: [Int32]

        init(src: Int, dst: Int) {
            let scale = 1.0 / (Double(dst) / Double(src))
            var source = [Int](), w0 = [Int32](), w1 = [Int32]()
            for d in 0..<dst {
                var fx = Float((Double(d) + 0.5) * scale - 0.5)
                var sx = Int(fx.rounded(.down))
                fx -= Float(sx)
                if sx < 0 { sx = 0; fx = 0 }
                if sx >= src - 1 { sx = src - 1; fx = 0 }
                source.append(sx)
                w0.append(Int32(((1 - fx) * 2048).rounded(.toNearestOrEven)))
                w1.append(Int32((fx * 2048).rounded(.toNearestOrEven)))
            }
            self.source = source; self.w0 = w0; self.w1 = w1
        }
    }

    public let srcWidth: Int, srcHeight: Int, width: Int, height: Int
    let x: Axis, y: Axis
    let area2x: Bool
    /// The source rows the result reads, ascending.
    public let rows: [Int]

    /// The downscale of a `w`x`h` frame (identity when the longer side is under 256).
    public init(width w: Int, height h: Int) {
        srcWidth = w; srcHeight = h
        let f = Double(max(w, h)) / OpenCVResize.minWidth
        if f > 1 {
            width = max(1, Int((Double(w) / f).rounded(.toNearestOrEven)))
            height = max(1, Int((Double(h) / f).rounded(.toNearestOrEven)))
        } else {
            width = w; height = h
        }
        x = Axis(src: w, dst: width)
        y = Axis(src: h, dst: height)
        area2x = width * 2 == w && height * 2 == h
        if width == w && height == h {
            rows = Array(0..<h)
        } else if area2x {
            rows = Array(0..<h)
        } else {
            var set = Set<Int>()
            for (i, s) in y.source.enumerated() { set.insert(s); if y.w1[i] != 0 { set.insert(min(s + 1, h - 1)) } }
            rows = set.sorted()
        }
    }

    public var isIdentity: Bool { width == srcWidth && height == srcHeight }

    /// Working buffers for one frame at a time: feed every row of `rows` with `take`, then `finish`.
    public final class Pass {
        let plan: OpenCVResize
        var raw: [UInt8]
        var horizontal: [Int32]
        var rowIndex: [Int]

        public init(_ plan: OpenCVResize) {
            self.plan = plan
            let linear = !(plan.isIdentity || plan.area2x)
            raw = linear ? [] : [UInt8](repeating: 0, count: plan.srcWidth * plan.srcHeight * 3)
            horizontal = linear ? [Int32](repeating: 0, count: plan.rows.count * plan.width * 3) : []
            rowIndex = [Int](repeating: -1, count: plan.srcHeight)
            for (k, r) in plan.rows.enumerated() { rowIndex[r] = k }
        }

        /// Source row `plan.rows[k]`, `srcWidth*3` BGR bytes.
        public func take(_ k: Int, _ src: UnsafePointer<UInt8>) {
            let p = plan
            if p.isIdentity || p.area2x {
                let n = p.srcWidth * 3
                raw.withUnsafeMutableBufferPointer { ($0.baseAddress! + p.rows[k] * n).update(from: src, count: n) }
                return
            }
            let dw = p.width * 3, lastX = p.srcWidth - 1
            horizontal.withUnsafeMutableBufferPointer { hb in
                let base = hb.baseAddress! + k * dw
                p.x.source.withUnsafeBufferPointer { xs in
                    p.x.w0.withUnsafeBufferPointer { w0 in
                        p.x.w1.withUnsafeBufferPointer { w1 in
                            for dx in 0..<p.width {
                                let sx = xs[dx], a0 = w0[dx], a1 = w1[dx]
                                let s0 = src + 3 * sx, s1 = src + 3 * min(sx + 1, lastX)
                                base[3 * dx] = Int32(s0[0]) * a0 + Int32(s1[0]) * a1
                                base[3 * dx + 1] = Int32(s0[1]) * a0 + Int32(s1[1]) * a1
                                base[3 * dx + 2] = Int32(s0[2]) * a0 + Int32(s1[2]) * a1
                            }
                        }
                    }
                }
            }
        }

        /// The small frame, `width*height*3` BGR bytes, into `out`.
        public func finish(into out: UnsafeMutablePointer<UInt8>) {
            let p = plan
            let dw = p.width * 3
            if p.isIdentity {
                raw.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: dw * p.height) }
                return
            }
            if p.area2x {
                let sw = p.srcWidth * 3
                raw.withUnsafeBufferPointer { rb in
                    for dy in 0..<p.height {
                        let a = rb.baseAddress! + 2 * dy * sw, b = a + sw
                        for dx in 0..<p.width {
                            for c in 0..<3 {
                                let i = 6 * dx + c
                                let s = Int(a[i]) + Int(a[i + 3]) + Int(b[i]) + Int(b[i + 3]) + 2
                                out[dy * dw + 3 * dx + c] = UInt8(s >> 2)
                            }
                        }
                    }
                }
                return
            }
            horizontal.withUnsafeBufferPointer { hb in
                for dy in 0..<p.height {
                    let sy = p.y.source[dy], b0 = p.y.w0[dy], b1 = p.y.w1[dy]
                    let r0 = hb.baseAddress! + rowIndex[sy] * dw
                    let k1 = rowIndex[min(sy + 1, p.srcHeight - 1)]
                    let r1 = hb.baseAddress! + (k1 >= 0 ? k1 : rowIndex[sy]) * dw
                    let o = out + dy * dw
                    for i in 0..<dw {
                        let v = ((b0 &* (r0[i] >> 4)) >> 16) &+ ((b1 &* (r1[i] >> 4)) >> 16) &+ 2
                        o[i] = UInt8(clamping: v >> 2)
                    }
                }
            }
        }
    }
}
