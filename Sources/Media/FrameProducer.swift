import CFFmpeg
import Foundation

/// Makes the encoder's frames on a thread of its own, so that reading clips (decoding, sampling)
/// and the RGB→YUV conversion overlap with libx264's work instead of waiting for it: pictures
/// from `picture(i)`, i = 0..<count, are converted (scaled to fit) into a short bounded queue that
/// the encoding thread takes from with `next()`.
///
/// - A picture identical to the previous one (the same `Image` object: a still, a slow clip's
///   repeated frame) is not converted again: its frame shares the previous one's buffers.
/// - Frames handed back with `recycle` keep their buffers for the next pictures, so a render
///   allocates a handful of frames, not one per picture.
/// - An error of `picture` (or of the conversion) ends the thread; `next()` throws it once the
///   frames before it are taken. `stop()` (and `deinit`) make the thread finish the picture it is
///   on and wait for it, so an error or Ctrl-C on the encoding side never leaves it running.
///
/// `picture` runs on the producer's thread only, one call at a time; what it uses must not be
/// touched by others until `stop()` returns.
public final class FrameProducer {
    /// Frames converted ahead of the encoder. Two would do to overlap; three absorbs the uneven
    /// cost of pictures (a scene's first frame opens and decodes a file) at 1.4 MB a 720p frame.
    public static let defaultDepth = 3

    public let count: Int
    private let state: State
    private var thread: Thread?
    /// Seconds the encoding side waited in `next()` for a frame (0 when the encoder is the bottleneck).
    public private(set) var waitSeconds = 0.0

    public init(count: Int, width: Int, height: Int, fit: Fit, depth: Int = FrameProducer.defaultDepth,
                picture: @escaping (Int) throws -> Image) {
        precondition(depth >= 1, "FrameProducer: depth must be at least 1")
        self.count = count
        state = State(depth: depth)
        let work = Work(state: state, count: count, width: width, height: height,
                        converter: VideoEncoderConverter(width: width, height: height, fit: fit), picture: picture)
        let t = Thread { work.run() }
        t.name = "podcast-i2v frames"
        t.stackSize = 1 << 20
        thread = t
        t.start()
    }

    deinit { stop() }

    /// The next frame in order, nil after the last one; throws the producer's error when it is
    /// the next thing in line.
    public func next() throws -> EncoderFrame? {
        let t0 = DispatchTime.now().uptimeNanoseconds
        defer { waitSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }
        let s = state
        s.lock.lock()
        defer { s.lock.unlock() }
        while s.ready.isEmpty && s.error == nil && !s.done && !s.exited { s.lock.wait() }
        if !s.ready.isEmpty {
            let f = s.ready.removeFirst()
            s.lock.broadcast()
            return f
        }
        if let e = s.error { throw e }
        return nil
    }

    /// Hands back a frame the encoder has taken (its buffers are reused).
    public func recycle(_ frame: EncoderFrame) {
        state.lock.lock()
        if state.spare.count < state.depth + 2 { state.spare.append(frame) }
        state.lock.unlock()
    }

    /// Makes the thread stop after the picture it is on and waits for it. Idempotent.
    public func stop() {
        guard thread != nil else { return }
        let s = state
        s.lock.lock()
        s.stopping = true
        s.lock.broadcast()
        while !s.exited { s.lock.wait() }
        s.ready.removeAll()
        s.spare.removeAll()
        s.lock.unlock()
        thread = nil
    }

    /// What both threads share, under `lock`.
    private final class State: @unchecked Sendable {
        let lock = NSCondition()
        let depth: Int
        var ready: [EncoderFrame] = []
        var spare: [EncoderFrame] = []
        var error: Error?
        var done = false
        var stopping = false
        var exited = false
        init(depth: Int) { self.depth = depth }
    }

    /// The producer thread's own things: only `run` touches them, on that thread.
    private final class Work: @unchecked Sendable {
        let state: State
        let count: Int, width: Int, height: Int
        let converter: VideoEncoderConverter
        let picture: (Int) throws -> Image

        init(state: State, count: Int, width: Int, height: Int, converter: VideoEncoderConverter,
             picture: @escaping (Int) throws -> Image) {
            self.state = state
            self.count = count
            self.width = width
            self.height = height
            self.converter = converter
            self.picture = picture
        }

        func run() {
            let s = state
            var lastImage: Image?
            // A reference of the last converted picture, for the next identical one.
            let lastFrame = EncoderFrame()
            do {
                for i in 0..<count {
                    s.lock.lock()
                    while s.ready.count >= s.depth && !s.stopping { s.lock.wait() }
                    let spare = s.spare.popLast()
                    let stopping = s.stopping
                    s.lock.unlock()
                    if stopping { break }

                    let image = try picture(i)
                    let frame = spare ?? EncoderFrame()
                    if image === lastImage {
                        try frame.reference(lastFrame)
                    } else {
                        // Let go of the previous picture first, so a recycled frame is usually writable.
                        av_frame_unref(lastFrame.pointer)
                        lastImage = nil
                        try frame.makeWritable(width: width, height: height)
                        try converter.convert(image, into: frame.pointer)
                        try lastFrame.reference(frame)
                        lastImage = image
                    }

                    s.lock.lock()
                    s.ready.append(frame)
                    s.lock.broadcast()
                    s.lock.unlock()
                }
                s.lock.lock()
                s.done = true
            } catch {
                s.lock.lock()
                s.error = error
            }
            s.exited = true
            s.lock.broadcast()
            s.lock.unlock()
        }
    }
}
