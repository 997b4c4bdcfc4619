import CFFmpeg
import CFFmpegSupport
import Errors
import Foundation

/// FFmpeg's motion-compensated frame-rate up-conversion, libavfilter's `minterpolate`, in-process
/// (`clip:at_fps(fps, {method = 'minterpolate'})`). The default `mci` is `MotionInterpolation`,
/// the same kind of algorithm at a quarter of the CPU and half the error: minterpolate keeps a
/// list of up to 32 weighted references per pixel and walks it once per plane (0.12 s a
/// 1024x576 frame), and moves blocks by whole pixels.
///
///     buffer (RGB24) → format (yuvj444p) → minterpolate (mci) → format (RGB24) → buffersink
///
/// Full-range 4:4:4, so the round trip through YUV costs at most a level and no chroma
/// detail. Settings: `me_mode=bilat` (motion estimated for each new frame from its two
/// neighbours: no holes), `mc_mode=obmc` (overlapped blocks: no block edges), `scd=none` (a
/// generated clip has no cuts, and noise must not read as one). minterpolate runs on one core,
/// so the clip is cut into `segments` (one per core) that run at once, each fed a frame of
/// context either side and keeping only the output frames of its own span.
public enum MinterpolateFilter {
    /// Runs minterpolate over `count` frames at `from` and hands every frame at `to` to `emit`
    /// (index, picture), from several threads and in no fixed order. `source` makes one frame
    /// reader per segment (readers need not be thread-safe). The frames depend on `segments`
    /// (slightly, at the boundaries) but not on `threads`, how many segments run at once.
    public static func run(width: Int, height: Int, count n: Int, from f: Rational, to F: Rational,
                           segments: Int = 2, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                           source: @escaping @Sendable () throws -> (Int) throws -> Image,
                           emit: @escaping @Sendable (Int, Image) throws -> Void,
                           shouldStop: @escaping @Sendable () -> Bool = { false }) throws {
        let m = MotionInterpolation.outputCount(sourceCount: n, from: f, to: F)
        guard n > 1 else {
            try emit(0, try source()(0))
            return
        }
        // Each segment owns the output frames whose time lies in [a, b) source frames (the last
        // one includes the clip's last frame); at least two source intervals a segment.
        let s = max(1, min(segments, (n - 1) / 2))
        let bounds = (0...s).map { $0 * (n - 1) / s }
        try FailureList.perform(s, parallel: threads > 1) { k, failures in
            let a = bounds[k], b = bounds[k + 1]
            let owned = (0..<m).filter { j in
                let p = MotionInterpolation.sourcePosition(j, from: f, to: F)
                return p.index >= a && (p.index < b || (k == s - 1 && p.index == b && p.rem == 0))
            }
            let first = max(0, a - 1), last = min(n - 1, b + 2)
            try segment(width: width, height: height, frames: first...last, clipLast: n - 1, from: f, to: F,
                        owned: Set(owned), reader: try source(), emit: emit, shouldStop: { shouldStop() || failures.any })
        }
    }

    private static func segment(width w: Int, height h: Int, frames: ClosedRange<Int>, clipLast: Int,
                                from f: Rational, to F: Rational, owned: Set<Int>,
                                reader: (Int) throws -> Image, emit: (Int, Image) throws -> Void,
                                shouldStop: () -> Bool) throws {
        let graph = FilterGraph(path: nil)
        // Exact conversions both ways (the auto-inserted scalers' default rounds).
        graph.pointer.pointee.scale_sws_opts = av_strdup("flags=bicubic+accurate_rnd+full_chroma_int")
        let src = try graph.add("buffer", "video_size=\(w)x\(h):pix_fmt=\(AV_PIX_FMT_RGB24.rawValue)"
                                + ":time_base=\(f.den)/\(f.num):frame_rate=\(f.num)/\(f.den):pixel_aspect=1/1")
        let toYUV = try graph.add("format", "pix_fmts=yuvj444p")
        let mi = try graph.add("minterpolate", "fps=\(F.num)/\(F.den):mi_mode=mci:mc_mode=obmc:me_mode=bilat"
                               + ":me=epzs:mb_size=16:search_param=32:vsbmc=0:scd=none")
        let toRGB = try graph.add("format", "pix_fmts=rgb24")
        let sink = try graph.add("buffersink")
        try graph.link(src, 0, toYUV, 0)
        try graph.link(toYUV, 0, mi, 0)
        try graph.link(mi, 0, toRGB, 0)
        try graph.link(toRGB, 0, sink, 0)
        try graph.configure()
        let sinkBase = av_buffersink_get_time_base(sink)
        let outBase = AVRational(num: Int32(F.den), den: Int32(F.num))
        var missing = owned

        func drain() throws {
            while true {
                let out = Frame()
                let rc = av_buffersink_get_frame(sink, out.pointer)
                if rc == AVCode.again || rc == AVCode.eof { return }
                guard rc >= 0 else { throw graph.error("minterpolate failed", code: rc) }
                let j = Int(av_rescale_q(out.pointer.pointee.pts, sinkBase, outBase))
                guard missing.remove(j) != nil else { continue }
                try emit(j, image(of: out, width: w, height: h))
            }
        }
        func push(_ image: Image, pts: Int) throws {
            if shouldStop() { throw Interrupted() }
            let frame = try graph.rgbFrame(image)
            frame.pointer.pointee.pts = Int64(pts)
            let rc = av_buffersrc_add_frame_flags(src, frame.pointer, 0)
            guard rc >= 0 else { throw graph.error("cannot interpolate a frame", code: rc) }
            try drain()
        }
        var lastImage: Image?
        for k in frames {
            let image = try reader(k)
            guard image.width == w, image.height == h else {
                throw MediaError("frame \(k + 1) is \(image.width)x\(image.height), expected \(w)x\(h)")
            }
            try push(image, pts: k)
            lastImage = image
        }
        // minterpolate makes a frame only once the input after it has arrived: the clip's last
        // frame, repeated one frame later, lets it reach the last frame's own time.
        if frames.upperBound == clipLast, let lastImage { try push(lastImage, pts: clipLast + 1) }
        let rc = av_buffersrc_add_frame_flags(src, nil, 0)
        guard rc >= 0 else { throw graph.error("cannot end the interpolation", code: rc) }
        try drain()
        if let j = missing.min() {
            throw MediaError("minterpolate gave no frame for output frame \(j + 1) (\(missing.count) missing)")
        }
    }

    private static func image(of frame: Frame, width w: Int, height h: Int) throws -> Image {
        let p = frame.pointer.pointee
        guard p.format == AV_PIX_FMT_RGB24.rawValue, Int(p.width) == w, Int(p.height) == h else {
            throw MediaError("minterpolate gave a \(p.width)x\(p.height) frame of format \(p.format), expected \(w)x\(h) RGB")
        }
        let stride = Int(p.linesize.0), row = w * 3, src = p.data.0!
        var pixels = [UInt8](repeating: 0, count: row * h)
        pixels.withUnsafeMutableBufferPointer { d in
            for y in 0..<h { (d.baseAddress! + y * row).update(from: src + y * stride, count: row) }
        }
        return Image(width: w, height: h, pixels: pixels)
    }
}
