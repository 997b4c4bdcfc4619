import Foundation
@testable import Media
import Testing

/// The producer thread hands frames over in order, shares a repeated picture's buffers, surfaces
/// its errors after the frames before them, and stops cleanly whatever the other side does.
struct FrameProducerTests {
    /// A grey picture whose level encodes `k` (Y of grey g is 16 + 219 * g / 255).
    static func grey(_ k: Int) -> Image {
        let g = UInt8(20 + 10 * (k % 20))
        return Image(width: 64, height: 36, red: g, green: g, blue: g)
    }

    static func luma(_ f: EncoderFrame) -> Int { Int(f.pointer.pointee.data.0![0]) }

    @Test func framesComeInOrderAndRepeatsShareBuffers() throws {
        let pictures = (0..<6).map(Self.grey)
        // 0 0 0 1 2 2 3 4 5 5: repeats of the same Image object are not converted again.
        let order = [0, 0, 0, 1, 2, 2, 3, 4, 5, 5]
        let p = FrameProducer(count: order.count, width: 64, height: 36, fit: .cover) { pictures[order[$0]] }
        var frames: [EncoderFrame] = []
        while let f = try p.next() { frames.append(f) }
        let levels = frames.map(Self.luma)
        // Held frames: a repeat points at its original's buffers, a new picture at its own.
        let data = frames.map { UnsafeMutableRawPointer($0.pointer.pointee.data.0!) }
        let shared = (1..<data.count).filter { data[$0] == data[$0 - 1] }.count
        #expect(levels.count == order.count)
        for i in 1..<order.count {
            #expect((levels[i] == levels[i - 1]) == (order[i] == order[i - 1]) && levels[i] >= levels[i - 1], "\(levels)")
        }
        #expect(Set(levels).count == 6, "six different pictures: \(levels)")
        #expect(shared == 4, "the four repeats share the converted picture's buffers")

        // Each frame handed back before the next is taken: buffers are reused, never overwritten
        // while a frame that shows them is still queued.
        let again = FrameProducer(count: order.count, width: 64, height: 36, fit: .cover) { pictures[order[$0]] }
        var levels2: [Int] = []
        while let f = try again.next() {
            levels2.append(Self.luma(f))
            again.recycle(f)
        }
        #expect(levels2 == levels)
    }

    @Test func anErrorComesAfterTheFramesBeforeIt() throws {
        struct Broken: Error {}
        let p = FrameProducer(count: 100, width: 32, height: 32, fit: .cover) { i in
            if i == 5 { throw Broken() }
            return Self.grey(i)
        }
        var got = 0
        #expect(throws: Broken.self) {
            while try p.next() != nil { got += 1 }
        }
        #expect(got == 5)
        // And again: the error stays, nothing blocks.
        #expect(throws: Broken.self) { _ = try p.next() }
    }

    @Test func stopsWhileBlockedOnAFullQueueAndWhenDropped() throws {
        let made = Counter()
        let p = FrameProducer(count: 10_000, width: 32, height: 32, fit: .cover, depth: 2) { i in
            made.add()
            return Self.grey(i)
        }
        _ = try p.next()
        Thread.sleep(forTimeInterval: 0.05)
        p.stop()
        // One taken, two queued, at most one more in hand when the queue was full.
        #expect(made.value <= 4)
        #expect(try p.next() == nil, "after stop: no frames, no wait")
        p.stop()

        // Dropped without stop: deinit stops the thread (nothing keeps producing).
        let other = Counter()
        do {
            let q = FrameProducer(count: 10_000, width: 32, height: 32, fit: .cover) { i in
                other.add()
                return Self.grey(i)
            }
            _ = q
        }
        let n = other.value
        Thread.sleep(forTimeInterval: 0.05)
        #expect(other.value == n)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.lock(); n += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    }
}
