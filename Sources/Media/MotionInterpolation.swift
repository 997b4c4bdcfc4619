import CMotion
import Errors
import Foundation

/// Motion-compensated frame-rate up-conversion (`clip:at_fps`'s `mci`): for each pair of
/// neighbouring source frames a motion field is estimated once (CMotion: bilateral block
/// matching on a luma pyramid, half-pixel, median-filtered), then every output frame whose time
/// falls between them is composed along that motion. Pairs are independent, so the clip is cut
/// into one run of pairs per thread; the frames are the same whatever the threads.
/// (`MinterpolateFilter` is FFmpeg's filter for the same job, kept as the `minterpolate` method.)
public enum MotionInterpolation {
    /// The frames at `to` from the first source frame's time to the last's, both included:
    /// floor((n - 1) · F / f) + 1. The clip's motion, no held tail, so a loop or pingpong of
    /// it never stops on a repeated frame.
    public static func outputCount(sourceCount n: Int, from f: Rational, to F: Rational) -> Int {
        guard n > 1 else { return 1 }
        return (n - 1) * F.num * f.den / (F.den * f.num) + 1
    }

    /// Output frame `j`'s time in source frames, as the whole part and the remainder over `den`.
    public static func sourcePosition(_ j: Int, from f: Rational, to F: Rational) -> (index: Int, rem: Int, den: Int) {
        let num = j * F.den * f.num, den = F.num * f.den
        return (num / den, num % den, den)
    }

    /// Hands every frame at `to` of a `count`-frame clip at `from` to `emit` (index, picture),
    /// from several threads and in no fixed order. `source` makes one frame reader per thread
    /// (readers need not be thread-safe); each reads its frames in order.
    public static func run(width: Int, height: Int, count n: Int, from f: Rational, to F: Rational,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                           source: @escaping @Sendable () throws -> (Int) throws -> Image,
                           emit: @escaping @Sendable (Int, Image) throws -> Void,
                           shouldStop: @escaping @Sendable () -> Bool = { false }) throws {
        let m = outputCount(sourceCount: n, from: f, to: F)
        // Output frames by the source interval [k, k+1) they fall in (the last frame: n - 1).
        var grouped = [[Int]](repeating: [], count: max(n, 1))
        for j in 0..<m { grouped[min(sourcePosition(j, from: f, to: F).index, n - 1)].append(j) }
        let byPair = grouped
        let runs = max(1, min(threads, n - 1))
        let bounds = (0...runs).map { $0 * max(n - 1, 1) / runs }
        try FailureList.perform(runs, parallel: threads > 1) { r, failures in
            let read = try source()
            func frame(_ k: Int) throws -> Image {
                let image = try read(k)
                guard image.width == width, image.height == height else {
                    throw MediaError("frame \(k + 1) is \(image.width)x\(image.height), expected \(width)x\(height)")
                }
                return image
            }
            let last = r == runs - 1 ? n - 1 : bounds[r + 1] - 1
            var a = try frame(bounds[r])
            for k in bounds[r]...last {
                if shouldStop() || failures.any { throw Interrupted() }
                let between = byPair[k].filter { sourcePosition($0, from: f, to: F).rem != 0 }
                for j in byPair[k] where !between.contains(j) { try emit(j, a) }
                guard k + 1 < n else { break }
                let b = try frame(k + 1)
                if !between.isEmpty {
                    let field = try estimate(a, b)
                    for j in between {
                        if shouldStop() { throw Interrupted() }
                        let p = sourcePosition(j, from: f, to: F)
                        try emit(j, compose(a, b, field, alpha: Float(Double(p.rem) / Double(p.den))))
                    }
                }
                a = b
            }
        }
    }

    /// The motion field from `a` to `b`: a vector (pixels) per 16x16 block.
    public static func estimate(_ a: Image, _ b: Image) throws -> [Float] {
        var field = [Float](repeating: 0, count: Int(pi2v_mci_field_width(Int32(a.width)) * pi2v_mci_field_height(Int32(a.height))) * 2)
        let rc = a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
                field.withUnsafeMutableBufferPointer { f in
                    pi2v_mci_estimate(pa.baseAddress, pb.baseAddress, Int32(a.width), Int32(a.height), Int32(a.width * 3), f.baseAddress)
                }
            }
        }
        guard rc == 0 else { throw MediaError("out of memory estimating motion for a \(a.width)x\(a.height) frame") }
        return field
    }

    /// The picture at `alpha` (0 is `a`, 1 is `b`) along `field`.
    public static func compose(_ a: Image, _ b: Image, _ field: [Float], alpha: Float) -> Image {
        var out = [UInt8](repeating: 0, count: a.width * a.height * 3)
        a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
                field.withUnsafeBufferPointer { f in
                    out.withUnsafeMutableBufferPointer { o in
                        pi2v_mci_compose(pa.baseAddress, pb.baseAddress, Int32(a.width), Int32(a.height), Int32(a.width * 3),
                                         f.baseAddress, alpha, o.baseAddress, Int32(a.width * 3))
                    }
                }
            }
        }
        return Image(width: a.width, height: a.height, pixels: out)
    }
}
