import CFFmpeg
import Foundation

/// Runs a `VideoDecoder` on its own thread, a few frames ahead of the caller: the caller's work
/// on frame N (the scene detector's conversion and score) overlaps the decoding of N+1, N+2...
/// Frames are handed over as references to FFmpeg's buffers (no copy), through a bounded queue,
/// so memory stays at `depth` frames whatever the length of the video. Call `stop()` when done
/// (the thread holds the object until it ends).
public final class DecodeAhead: @unchecked Sendable {   // shared state is guarded by `cond`
    public let decoder: VideoDecoder
    private let cond = NSCondition()
    private var ready: [Frame] = []     // decoded, in order
    private var free: [Frame]           // empty slots
    private var handedOut: Frame?       // the caller's current frame
    private var ended = false
    private var failure: Error?
    private var cancelled = false
    private var running = true

    /// Starts decoding at once; `depth` frames at most wait for the caller.
    public init(_ decoder: VideoDecoder, depth: Int = 4) {
        self.decoder = decoder
        free = (0..<max(1, depth)).map { _ in Frame() }
        let thread = Thread { [self] in produce() }
        thread.name = "decode-ahead"
        thread.start()
    }

    deinit { stop() }

    private func produce() {
        defer { cond.withLock { running = false; cond.broadcast() } }
        while true {
            cond.lock()
            while free.isEmpty && !cancelled { cond.wait() }
            if cancelled { cond.unlock(); return }
            let slot = free.removeLast()
            cond.unlock()
            do {
                guard let f = try decoder.nextDecodedFrame() else {
                    cond.withLock { ended = true; free.append(slot); cond.broadcast() }
                    return
                }
                slot.unref()
                av_frame_move_ref(slot.pointer, f.pointer)
                cond.withLock { ready.append(slot); cond.broadcast() }
            } catch {
                cond.withLock { failure = error; ended = true; free.append(slot); cond.broadcast() }
                return
            }
        }
    }

    /// The next frame, valid until the next call; nil at the end. Rethrows the decoder's error.
    public func next() throws -> Frame? {
        cond.lock()
        defer { cond.unlock() }
        if let done = handedOut {
            done.unref()
            free.append(done)
            handedOut = nil
            cond.broadcast()
        }
        while ready.isEmpty && !ended { cond.wait() }
        if !ready.isEmpty {
            handedOut = ready.removeFirst()
            return handedOut
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the decoding thread and waits for it (the caller stopped early: an error, Ctrl-C).
    public func stop() {
        cond.lock()
        cancelled = true
        cond.broadcast()
        while running { cond.wait() }
        cond.unlock()
    }
}
