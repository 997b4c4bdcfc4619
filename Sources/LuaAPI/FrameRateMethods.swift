import Foundation
import LuaBridge
import Media
import SVD
import Timeline

/// `clip:at_fps(fps, {method})` (frame-rate up-conversion) and `clip:frame(i)`.
///
/// A method of the clip rather than an option of `pad`: up-conversion is a property of the
/// motion (done once, before any looping), so a recipe reads `svd(img):at_fps(v.fps)` and
/// then pads whatever came out, and every pad strategy (and chain's segments) gets the
/// smooth clip. `mci` is costly and computed once into the clip cache, keyed by the source's
/// frames and the settings; `blend` and `none` are made on demand (cheaper than the cache).
enum FrameRateMethods {
    /// Bumped when the settings of MotionInterpolation (mci) or MinterpolateFilter change (old
    /// entries then miss).
    static let engineVersions: [RetimedClip.Method: String] = [
        .mci: "cmotion bilateral pyramid half-pel median v1",
        .minterpolate: "minterpolate mci obmc bilat epzs mb16 sp32 yuvj444p halves v1",
    ]

    static let docs: [PrimitiveDoc] = [
        PrimitiveDoc("Clip:at_fps", "clip:at_fps(fps, {method = 'mci'}) -> Clip, cached",
                     "The clip at another frame rate, from its first frame to its last: floor((n-1)·fps/clip.fps)+1 frames. "
                        + "Up-convert before pad, so loops and pingpongs repeat smooth motion. The same rate returns the clip itself.",
                     options: [("method", "'mci': motion-compensated (motion estimated once per pair of frames, each new frame drawn along it; "
                                + "computed once, kept in the clip cache); 'minterpolate': FFmpeg's motion-compensated filter, in-process (the same idea, "
                                + "about four times slower and further from the true frames); 'blend': cross-fades of neighbouring frames; 'none': each frame repeated (as without at_fps)"),
                               ("threads", "mci, minterpolate: how many parts of the clip are interpolated at once (default: the cores); "
                                + "the frames are the same whatever the number (each minterpolate part holds about 170 MB at 1024x576)")],
                     example: "local smooth = svd(img, {seed = 3}):at_fps(v.fps)\nlocal part = pad(smooth, s.duration, 'pingpong')"),
        PrimitiveDoc("Clip:frame", "clip:frame(i) -> Image",
                     "Frame i of the clip (1 is the first, -1 the last): e.g. the last frame of one SVD clip to start the next from.",
                     example: "local last = c:frame(-1)"),
    ]

    static func add(to cls: LuaClass<ClipBox>) {
        cls.method("frame") { box, call in
            let n = box.clip.frameCount
            let i = try call.integer(2, "i")
            let index = i < 0 ? n + i : i - 1
            guard index >= 0, index < n else {
                throw call.argumentError(2, "i", expected: "1 to \(n), or -1 to -\(n) from the end", got: "\(i)")
            }
            let image = try box.clip.makeReader().frame(index)
            return ImageValue.push(image, call)
        }
        cls.method("at_fps") { box, call in
            let fps = try rate(call, 2)
            var method = RetimedClip.Method.mci
            var threads = ProcessInfo.processInfo.activeProcessorCount
            if let t = try call.optionalTable(3, "options") {
                try t.checkKnown(["method", "threads"])
                if let m = try t.choice("method", RetimedClip.Method.allCases.map(\.rawValue)) { method = RetimedClip.Method(rawValue: m)! }
                if let n = try t.integer("threads") {
                    guard n >= 1, n <= 64 else { throw call.error("option 'threads': expected 1 to 64, got \(n)") }
                    threads = n
                }
            }
            let clip = box.clip
            if fps == clip.fps || clip.frameCount < 2 {
                call.pushArgument(1)
                call.push(false)
                return 2
            }
            if !method.isMotionCompensated {
                ClipValue.push(RetimedClip(clip, fps: fps, method: method), origin: "\(box.origin) · \(method.rawValue) to \(fps) fps", call)
                call.push(false)
                return 2
            }
            let (frames, cached) = try motionInterpolated(clip, to: fps, method: method, threads: threads,
                                                          cache: SVDPrimitives.cache(for: call.state))
            ClipValue.push(FunctionClip(frames), origin: "\(box.origin) · \(method.rawValue) to \(fps) fps" + (cached ? " (cached)" : ""), call)
            call.push(cached)
            return 2
        }
    }

    static func rate(_ call: LuaCall, _ i: Int32) throws -> Rational {
        let r: Rational?
        switch call.type(i) {
        case .number: r = TimelinePrimitives.rate(try call.number(i, "fps"))
        case .string: r = TimelinePrimitives.parseRate(try call.string(i, "fps"))
        default: r = nil
        }
        guard let r else { throw call.argumentError(i, "fps", expected: "a frame rate such as 30 or '30000/1001'", got: call.describe(i)) }
        return r
    }

    /// The cache key: the settings and the source's pixels (so any clip works, and the same
    /// frames from anywhere hit). The frames read for it come back too when they fit in 64 MB
    /// (an SVD clip's 25 frames at 1024x576 are 44 MB), so a miss does not read them twice.
    static func key(of clip: any Clip, to fps: Rational, method: RetimedClip.Method) throws -> (String, [Image]?) {
        let pixels = ContentHash()
        let reader = try clip.makeReader()
        let keep = clip.frameCount * clip.width * clip.height * 3 <= 64 << 20
        var kept: [Image] = []
        for k in 0..<clip.frameCount {
            try Interrupt.check()
            let image = try reader.frame(k)
            pixels.update(image.pixels)
            if keep { kept.append(image) }
        }
        let key = ContentHash.hex(of: """
            podcast-i2v at_fps v1
            \(engineVersions[method] ?? method.rawValue)
            to=\(fps) from=\(clip.fps) frames=\(clip.frameCount) size=\(clip.width)x\(clip.height)
            source=\(pixels.hex())
            """)
        return (key, keep ? kept : nil)
    }

    static func motionInterpolated(_ clip: any Clip, to fps: Rational, method: RetimedClip.Method = .mci, threads: Int,
                                   cache: ClipCache) throws -> (FrameSequence, Bool) {
        let (key, kept) = try key(of: clip, to: fps, method: method)
        if let hit = cache.clip(for: key) { return (hit, true) }
        let count = MotionInterpolation.outputCount(sourceCount: clip.frameCount, from: clip.fps, to: fps)
        let writer = try cache.writer(key: key, width: clip.width, height: clip.height, count: count, fps: fps)
        let progress = SharedProgress(Media.Progress("at_fps · \(method.rawValue)", total: count))
        defer { progress.finish() }
        let source: @Sendable () throws -> (Int) throws -> Image = {
            if let kept { return { kept[$0] } }
            let reader = try clip.makeReader()
            return { try reader.frame($0) }
        }
        let emit: @Sendable (Int, Image) throws -> Void = { j, image in
            try writer.write(image, at: j)
            progress.step()
        }
        if method == .minterpolate {
            try MinterpolateFilter.run(width: clip.width, height: clip.height, count: clip.frameCount, from: clip.fps, to: fps,
                                       segments: 2, threads: threads, source: source, emit: emit, shouldStop: { Interrupt.requested })
        } else {
            try MotionInterpolation.run(width: clip.width, height: clip.height, count: clip.frameCount, from: clip.fps, to: fps,
                                        threads: threads, source: source, emit: emit, shouldStop: { Interrupt.requested })
        }
        return (try writer.commit(), false)
    }
}

/// A progress line that several threads advance.
private final class SharedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let progress: Media.Progress
    private var done = 0
    init(_ progress: Media.Progress) { self.progress = progress }
    func step() { lock.withLock { done += 1; progress.update(done) } }
    func finish() { lock.withLock { progress.finish() } }
}
