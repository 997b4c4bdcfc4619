import Foundation
import Media
import Testing

/// Both motion-compensated engines (ours, `mci`, and FFmpeg's minterpolate in-process), checked
/// frame by frame against a scene whose every instant can be rendered: a smooth texture sliding
/// right at a known speed.
@Suite struct MotionInterpolationTests {
    static let w = 128, h = 96
    /// Pixels a source frame (7 fps) moves.
    static let speed = 6.0

    /// The scene at time `t` in source frames.
    static func render(_ t: Double) -> Image {
        var px = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let u = Double(x) - speed * t, v = Double(y)
                let a = 128 + 60 * sin(u * 0.21) * cos(v * 0.17) + 40 * sin((u + 2 * v) * 0.07)
                let i = (y * w + x) * 3
                px[i] = UInt8(max(0, min(255, a)))
                px[i + 1] = UInt8(max(0, min(255, 255 - a)))
                px[i + 2] = UInt8(max(0, min(255, 128 + 50 * sin(u * 0.05))))
            }
        }
        return Image(width: w, height: h, pixels: px)
    }

    /// Mean absolute difference per channel, away from the left and right edges (where new
    /// content enters and no method can know it).
    static func error(_ a: Image, _ b: Image) -> Double {
        var sum = 0, n = 0
        for y in 0..<h {
            for x in 24..<(w - 24) {
                for c in 0..<3 {
                    let i = (y * w + x) * 3 + c
                    sum += abs(Int(a.pixels[i]) - Int(b.pixels[i]))
                    n += 1
                }
            }
        }
        return Double(sum) / Double(n)
    }

    final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var frames: [Int: Image] = [:]
        func put(_ j: Int, _ i: Image) { lock.withLock { frames[j] = i } }
    }

    typealias Engine = @Sendable (_ n: Int, _ from: Rational, _ to: Rational, _ source: @escaping @Sendable () throws -> (Int) throws -> Image,
                                  _ emit: @escaping @Sendable (Int, Image) throws -> Void) throws -> Void
    static let engines: [(String, Engine)] = [
        ("mci", { n, f, t, source, emit in
            try MotionInterpolation.run(width: w, height: h, count: n, from: f, to: t, source: source, emit: emit) }),
        ("minterpolate", { n, f, t, source, emit in
            try MinterpolateFilter.run(width: w, height: h, count: n, from: f, to: t, segments: 2, source: source, emit: emit) }),
    ]

    @Test(arguments: [0, 1]) func framesLieBetweenTheOriginals(engine: Int) throws {
        let (name, run) = Self.engines[engine]
        let n = 9
        let source = (0..<n).map { Self.render(Double($0)) }
        let from = Rational(7), to = Rational(30)
        let m = MotionInterpolation.outputCount(sourceCount: n, from: from, to: to)
        #expect(m == (n - 1) * 30 / 7 + 1)
        let got = Collected()
        try run(n, from, to, { { source[$0] } }, { got.put($0, $1) })
        #expect(got.frames.count == m, "\(name): every output frame exactly once")
        #expect(Set(got.frames.keys) == Set(0..<m))
        // The first frame is the first source frame (minterpolate: through YUV 4:4:4 and back, a level or so).
        #expect(Self.error(got.frames[0]!, source[0]) < 1.0)
        var between = 0, sum = 0.0, blendSum = 0.0
        for j in 1..<(m - 1) {
            let p = MotionInterpolation.sourcePosition(j, from: from, to: to)
            // Frames within a fifth of a source frame of one are (rightly) nearly that frame.
            let frac = Double(p.rem) / Double(p.den)
            guard frac >= 0.2, frac <= 0.8 else { continue }
            let frame = got.frames[j]!
            let t = Double(j) * 7 / 30
            let truth = Self.render(t)
            let a = source[p.index], b = source[p.index + 1]
            let e = Self.error(frame, truth)
            // Not a repeat of either neighbour, and nearer the true in-between picture than
            // either neighbour is.
            #expect(Self.error(frame, a) > 2 && Self.error(frame, b) > 2, "\(name): frame \(j) repeats a source frame")
            #expect(e < Self.error(a, truth) && e < Self.error(b, truth), "\(name): frame \(j): error \(e) vs neighbours \(Self.error(a, truth)), \(Self.error(b, truth))")
            sum += e
            blendSum += Self.error(Image.mix(a, b, weight: frac), truth)
            between += 1
        }
        #expect(between > 15)
        // Motion-compensated, not a cross-fade: clearly nearer the truth than blending is.
        #expect(sum < 0.6 * blendSum, "\(name): mean error \(sum / Double(between)) vs blend's \(blendSum / Double(between))")
    }

    /// Ours: every frame is the same whatever the threads (pairs are independent).
    @Test func mciFramesDoNotDependOnTheThreads() throws {
        let n = 7
        let source = (0..<n).map { Self.render(Double($0)) }
        let one = Collected(), three = Collected()
        try MotionInterpolation.run(width: Self.w, height: Self.h, count: n, from: Rational(7), to: Rational(25), threads: 1,
                                    source: { { source[$0] } }, emit: { one.put($0, $1) })
        try MotionInterpolation.run(width: Self.w, height: Self.h, count: n, from: Rational(7), to: Rational(25), threads: 3,
                                    source: { { source[$0] } }, emit: { three.put($0, $1) })
        #expect(one.frames.count == MotionInterpolation.outputCount(sourceCount: n, from: Rational(7), to: Rational(25)))
        for (j, f) in one.frames { #expect(f.pixels == three.frames[j]?.pixels, "frame \(j) depends on the threads") }
    }

    /// A still picture stays still (no vector invented in a flat or static scene), and a picture
    /// one pixel wide or tall is no crash.
    @Test func stillAndTinyPicturesAreSafe() throws {
        let still = Self.render(0)
        let field = try MotionInterpolation.estimate(still, still)
        #expect(field.allSatisfy { $0 == 0 })
        #expect(MotionInterpolation.compose(still, still, field, alpha: 0.4).pixels == still.pixels)
        for (w, h) in [(1, 1), (1, 40), (40, 1), (17, 3)] {
            let a = Image(width: w, height: h, red: 10), b = Image(width: w, height: h, red: 200)
            let f = try MotionInterpolation.estimate(a, b)
            let mid = MotionInterpolation.compose(a, b, f, alpha: 0.5)
            #expect(mid.width == w && mid.height == h && mid.pixels[0] == 105, "\(w)x\(h)")
        }
    }

    @Test func minterpolateSegmentsAgreeWithOneRun() throws {
        let n = 7
        let source = (0..<n).map { Self.render(Double($0)) }
        let one = Collected(), two = Collected()
        try MinterpolateFilter.run(width: Self.w, height: Self.h, count: n, from: Rational(7), to: Rational(25), segments: 1,
                                   source: { { source[$0] } }, emit: { one.put($0, $1) })
        try MinterpolateFilter.run(width: Self.w, height: Self.h, count: n, from: Rational(7), to: Rational(25), segments: 3,
                                   source: { { source[$0] } }, emit: { two.put($0, $1) })
        #expect(one.frames.count == two.frames.count)
        for (j, f) in one.frames { #expect(Self.error(f, two.frames[j]!) < 3, "frame \(j) differs between one run and segments") }
        // The same segments one after the other: the very same frames.
        let serial = Collected()
        try MinterpolateFilter.run(width: Self.w, height: Self.h, count: n, from: Rational(7), to: Rational(25), segments: 3, threads: 1,
                                   source: { { source[$0] } }, emit: { serial.put($0, $1) })
        for (j, f) in two.frames { #expect(f.pixels == serial.frames[j]?.pixels, "frame \(j) depends on the threads") }
    }

    @Test func aWrongSizedFrameIsAnErrorNotACrash() throws {
        #expect(throws: MediaError.self) {
            try MotionInterpolation.run(width: 64, height: 48, count: 4, from: Rational(7), to: Rational(30),
                                        source: { { _ in Image(width: 32, height: 32) } }, emit: { _, _ in })
        }
        #expect(throws: MediaError.self) {
            try MinterpolateFilter.run(width: 64, height: 48, count: 4, from: Rational(7), to: Rational(30), segments: 1,
                                       source: { { _ in Image(width: 32, height: 32) } }, emit: { _, _ in })
        }
    }
}
