import Media
import Testing
@testable import Timeline

/// Schedules and their frame source, on clips made in memory: no file is read or written and no
/// FFmpeg call is made, so these say what the timeline decides, apart from how it is encoded.
@Suite struct ScheduleTests {
    /// Which (part, source frame) every output frame of `clip` shows at `fps`.
    func plan(_ clip: any Clip, fps: Rational) throws -> [Int] {
        let schedule = Schedule(clip, fps: fps)
        let source = ScheduleSource(schedule)
        return try (0..<schedule.frameCount).map { TestMedia.index(ofLevel: Int(try source.frame($0).pixels[0])) }
    }

    @Test func aSlowClipIsHeldUntilItsNextFrameIsDue() throws {
        // 7 fps in 25 fps: frame k shows source floor(k * 7 / 25), in exact integer arithmetic;
        // 4/7 s is round(14.29) = 14 output frames.
        let clip = TestMedia.indexClip(frames: 4, fps: 7)
        #expect(try plan(clip, fps: Rational(25)) == (0..<14).map { $0 * 7 / 25 })
    }

    @Test func repeatedOutputFramesShareOnePicture() throws {
        let schedule = Schedule(TestMedia.indexClip(frames: 3, fps: 5), fps: Rational(25))
        let source = ScheduleSource(schedule)
        let a = try source.frame(0), b = try source.frame(4), c = try source.frame(5)
        #expect(a === b, "the same source frame is handed out once, so the writer converts it once")
        #expect(a !== c)
    }

    @Test func partsStartAtTheRoundedSumOfExactLengths() {
        // 40 parts of 1/3 s at 25 fps: each starts at round(i/3 * 25), never drifting by a frame.
        let parts: [any Clip] = (0..<40).map { _ in
            StillClip(image: Image(width: 2, height: 2, red: 0, green: 0, blue: 0), seconds: 1.0 / 3, fps: Rational(25))
        }
        let schedule = Schedule(ConcatClip(parts), fps: Rational(25))
        #expect(schedule.parts.map(\.firstFrame) == (0..<40).map { Int((Double($0) / 3 * 25).rounded()) })
        #expect(schedule.frameCount == Int((40.0 / 3 * 25).rounded()))
    }

    @Test func ntscRatesStayExact() {
        // 29.97 fps is 30000/1001: a 1001 s episode is exactly 30000 frames.
        let still = StillClip(image: Image(width: 2, height: 2, red: 0, green: 0, blue: 0), seconds: 1001, fps: Rational(30000, 1001))
        #expect(Schedule(still, fps: Rational(30000, 1001)).frameCount == 30000)
    }

    @Test func nestedConcatsFlattenAndPadKeepsItsExactLength() throws {
        let a = PadClip(TestMedia.indexClip(frames: 2, fps: 10), seconds: 0.34, strategy: .freeze)
        let b = TestMedia.indexClip(frames: 3, fps: 10)
        let c = ConcatClip([ConcatClip([a]), ConcatClip([b])])
        #expect(c.parts.count == 2)
        #expect(c.duration == a.duration + b.duration)
        #expect(a.duration == 0.34, "a pad's length is the one asked for, not its whole frames (0.4 s)")
        #expect(a.frameCount == 4)
        // a covers output frames [0, round(3.4) = 3), b [3, round(6.4) = 6).
        #expect(try plan(c, fps: Rational(10)) == [0, 1, 1, 0, 1, 2])
    }

    @Test func framesPastTheEndHoldTheLastOne() throws {
        let source = ScheduleSource(Schedule(TestMedia.indexClip(frames: 3, fps: 10), fps: Rational(10)))
        #expect(TestMedia.index(ofLevel: Int(try source.frame(10).pixels[0])) == 2)
    }
}
