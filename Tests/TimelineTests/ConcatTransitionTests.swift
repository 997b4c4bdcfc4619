import Media
import Testing
@testable import Timeline

/// concat with per-boundary transitions, frame by frame on clips made in memory: a dissolve's
/// window mixes both parts linearly over exactly its frames, a hard cut next to it stays exact,
/// parts keep their places and the total length, a pad goes on past its end under the dissolve.
@Suite struct ConcatTransitionTests {
    static let fps = Rational(25)

    static func solid(_ v: UInt8, seconds: Double) -> StillClip {
        StillClip(image: Image(width: 8, height: 8, red: v, green: v, blue: v), seconds: seconds, fps: fps)
    }

    func levels(_ clip: any Clip) throws -> [Int] {
        let source = ScheduleSource(Schedule(clip, fps: Self.fps))
        return try (0..<clip.frameCount).map { Int(try source.frame($0).pixels[0]) }
    }

    @Test func aDissolveMixesBothPartsOverItsFramesOnly() throws {
        // 0 for 2 s, 200 for 2 s, 100 for 1 s: a dissolve of 5 + 4 frames at 2 s, a hard cut at 4 s.
        let parts: [any Clip] = [Self.solid(0, seconds: 2), Self.solid(200, seconds: 2), Self.solid(100, seconds: 1)]
        let concat = ConcatClip(parts, transitions: [ConcatTransition(kind: .dissolve, before: 0.2, after: 0.16), nil])
        #expect(concat.frameCount == 125)
        let schedule = Schedule(concat, fps: Self.fps)
        #expect(schedule.windows[0] == Schedule.Window(boundary: 0, first: 45, last: 53,
                                                        transition: ConcatTransition(kind: .dissolve, before: 0.2, after: 0.16)))
        #expect(schedule.windows[1] == nil)
        let l = try levels(concat)
        #expect(l[0..<45].allSatisfy { $0 == 0 })
        // 9 blended frames: 200 * k/10, rising, neither part alone.
        let blended = Array(l[45...53])
        let expected: [Int] = (1...9).map { k in
            let wb = Int((Double(k) / 10 * 256).rounded())
            return (200 * wb + 128) >> 8
        }
        #expect(blended == expected)
        #expect(blended.allSatisfy { $0 > 0 && $0 < 200 })
        #expect(l[54..<100].allSatisfy { $0 == 200 })
        // The hard cut stays frame-exact.
        #expect(l[99] == 200 && l[100] == 100)
        #expect(l[100...].allSatisfy { $0 == 100 })
    }

    @Test func aFadeGoesThroughBlack() throws {
        let parts: [any Clip] = [Self.solid(200, seconds: 1), Self.solid(100, seconds: 1)]
        let concat = ConcatClip(parts, transitions: [ConcatTransition(kind: .fade, before: 0.2, after: 0.2)])
        let l = try levels(concat)
        let window = Array(l[20...29])
        #expect(l[19] == 200 && l[30] == 100)
        #expect(window.min()! <= 20, "\(window)")
        // Down to black, then up.
        let darkest = window.firstIndex(of: window.min()!)!
        #expect(zip(window[..<darkest], window[1...darkest]).allSatisfy { $0 >= $1 })
        #expect(zip(window[darkest...], window[(darkest + 1)...]).allSatisfy { $0 <= $1 })
    }

    @Test func aPadGoesOnUnderTheDissolve() throws {
        // The part before is a 4-frame clip looped over 1 s: past its end it keeps looping.
        let looped = PadClip(TestMedia.indexClip(frames: 4, fps: 25, size: 8), seconds: 1, strategy: .loop)
        let after = Self.solid(0, seconds: 1)
        let concat = ConcatClip([looped, after], transitions: [ConcatTransition(kind: .dissolve, before: 0, after: 0.12)])
        let schedule = Schedule(concat, fps: Self.fps)
        #expect(schedule.windows[0]?.first == 25 && schedule.windows[0]?.last == 27)
        let source = ScheduleSource(schedule)
        for (k, f) in (25...27).enumerated() {
            let w = ConcatTransition(kind: .dissolve, before: 0, after: 0).weights(k, of: 3)
            let expected = (TestMedia.level(f % 4) * w.0 + 128) >> 8
            #expect(Int(try source.frame(f).pixels[0]) == expected, "frame \(f)")
        }
    }

    @Test func nestedConcatsKeepTheirTransitions() {
        let a = ConcatClip([Self.solid(0, seconds: 1), Self.solid(50, seconds: 1)],
                           transitions: [ConcatTransition(kind: .dissolve, before: 0.1, after: 0.1)])
        let b = ConcatClip([a, Self.solid(100, seconds: 1)], transitions: [ConcatTransition(kind: .fade, before: 0.1, after: 0.1)])
        #expect(b.parts.count == 3)
        #expect(b.transitions.map { $0?.kind } == [.dissolve, .fade])
        #expect(ConcatClip([a, Self.solid(100, seconds: 1)], transitions: []).transitions.map { $0?.kind } == [.dissolve, nil])
    }
}
