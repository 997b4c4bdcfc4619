import Foundation
import Media
import Testing
@testable import Timeline

/// blend/none up-conversion, loop_xfade's seam and crossfade joins, frame by frame, on clips
/// whose frame k is the flat level 16 + 20k (so a mix reads back as its weights).
@Suite struct RetimeTests {
    func levels(_ clip: any Clip) throws -> [Int] {
        let r = try clip.makeReader()
        return try (0..<clip.frameCount).map { Int(try r.frame($0).pixels[0]) }
    }
    func level(_ k: Double) -> Int { Int((16 + 20 * k).rounded()) }

    @Test func blendAndNoneAtTheNewRate() throws {
        let src = TestMedia.indexClip(frames: 4, fps: 7)
        let blend = RetimedClip(src, fps: Rational(30), method: .blend)
        let none = RetimedClip(src, fps: Rational(30), method: .none)
        // From the first frame's time to the last's: 3/7 s at 30 fps.
        #expect(blend.frameCount == 3 * 30 / 7 + 1 && none.frameCount == blend.frameCount)
        #expect(blend.fps == Rational(30))
        let b = try levels(blend), n = try levels(none)
        for j in 0..<blend.frameCount {
            let t = Double(j) * 7 / 30
            #expect(abs(b[j] - level(t)) <= 1, "blend frame \(j): \(b[j]), expected \(level(t))")
            #expect(n[j] == level(t.rounded(.down)), "none frame \(j) repeats frame \(Int(t))")
        }
        // In-between frames are no repeats: strictly between their neighbours.
        var inBetween = 0
        for j in 0..<blend.frameCount where (j * 7) % 30 != 0 {
            let k = j * 7 / 30
            #expect(b[j] > level(Double(k)) && b[j] < level(Double(k + 1)), "blend frame \(j): \(b[j])")
            inBetween += 1
        }
        #expect(inBetween == blend.frameCount - 1)
    }

    @Test func loopXfadeCrossFadesTheEndIntoTheStart() throws {
        let src = TestMedia.indexClip(frames: 6, fps: 10)
        let pad = PadClip(src, seconds: 1.4, strategy: .loopXfade, seam: 2)
        #expect(pad.frameCount == 14)
        let l = try levels(pad)
        // First pass clean: 0 1 2 3; then the seam: 4→0 at 1/3, 5→1 at 2/3; then 2 3; seam again.
        let want: [Double] = [0, 1, 2, 3, 4 - 4.0 / 3, 5 - 8.0 / 3, 2, 3, 4 - 4.0 / 3, 5 - 8.0 / 3, 2, 3, 4 - 4.0 / 3, 5 - 8.0 / 3]
        for (i, v) in want.enumerated() { #expect(abs(l[i] - level(v)) <= 1, "frame \(i): \(l[i]), expected \(level(v))") }
        // No step bigger than the clip's own between neighbouring frames.
        for i in 1..<l.count { #expect(abs(l[i] - l[i - 1]) <= 2 * 20, "jump at \(i): \(l)") }
        // The default seam is half a second, at most a third of the clip.
        #expect(PadClip(src, seconds: 2, strategy: .loopXfade).seam == 2)
        #expect(PadClip(TestMedia.indexClip(frames: 30, fps: 10), seconds: 5, strategy: .loopXfade).seam == 5)
    }

    @Test func crossfadeJoinsOverlap() throws {
        let a = TestMedia.indexClip(frames: 5, fps: 10), b = TestMedia.indexClip(frames: 5, fps: 10)
        let c = CrossfadeClip([a, b], overlap: 2)
        #expect(c.frameCount == 8)
        let l = try levels(c)
        // a: 0 1 2, then a's 3,4 fading into b's 0,1 at 1/3 and 2/3, then b: 2 3 4.
        let want: [Double] = [0, 1, 2, 3 - 3.0 / 3, 4 - 3 * 2.0 / 3, 2, 3, 4]
        for (i, v) in want.enumerated() { #expect(abs(l[i] - level(v)) <= 1, "frame \(i): \(l[i]), expected \(level(v))") }
        #expect(try levels(CrossfadeClip([a, b, a], overlap: 0)).count == 15)
    }
}
