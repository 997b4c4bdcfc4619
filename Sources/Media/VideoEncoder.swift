import CFFmpeg
import CFFmpegSupport
import Foundation

/// H.264 through libx264 (yuv420p): frames from a `FrameProducer` in (which converts RGB pictures
/// and scales them to fit on its own thread), packets out (time base 1/fps, pts = frame number).
public final class VideoEncoder {
    public let width: Int
    public let height: Int
    public let fps: Rational
    private let context: CodecContext
    private var ctx: UnsafeMutablePointer<AVCodecContext> { context.pointer }
    private let packet = Packet()
    private let path: String
    public private(set) var framesSent = 0
    /// Seconds spent inside libx264 (send/receive), for the benchmark's "encoder share".
    public private(set) var encodeSeconds = 0.0

    var codecContext: UnsafeMutablePointer<AVCodecContext> { ctx }
    var timeBase: AVRational { ctx.pointee.time_base }

    public init(width: Int, height: Int, fps: Rational, settings: VideoEncoderSettings, globalHeader: Bool, path: String) throws {
        precondition(width % 2 == 0 && height % 2 == 0, "VideoEncoder: yuv420p needs an even size")
        self.width = width
        self.height = height
        self.fps = fps
        self.path = path
        guard let codec = avcodec_find_encoder_by_name("libx264") else {
            throw MediaError(operation: "encode", "this FFmpeg has no libx264 encoder (writing '\(path)')")
        }
        context = CodecContext(codec: codec)
        let ctx = context.pointer
        ctx.pointee.width = Int32(width)
        ctx.pointee.height = Int32(height)
        ctx.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        ctx.pointee.time_base = AVRational(num: Int32(fps.den), den: Int32(fps.num))
        ctx.pointee.framerate = AVRational(num: Int32(fps.num), den: Int32(fps.den))
        ctx.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        ctx.pointee.thread_count = Int32(settings.threads)
        ctx.pointee.color_range = AVCOL_RANGE_MPEG
        ctx.pointee.colorspace = AVCOL_SPC_SMPTE170M
        if globalHeader { ctx.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER) }
        av_opt_set(ctx.pointee.priv_data, "preset", settings.preset, 0)
        av_opt_set_double(ctx.pointee.priv_data, "crf", settings.crf, 0)
        av_opt_set_int(ctx.pointee.priv_data, "rc-lookahead", Int64(settings.effectiveLookahead), 0)
        let rc = avcodec_open2(ctx, codec, nil)
        if rc < 0 { throw MediaError(operation: "encode", "cannot open libx264 for", path, code: rc) }
    }

    /// Encodes a frame (from a `FrameProducer`) as the next one; `sink` receives every packet
    /// ready. The frame's buffers are only read (libx264 copies the picture).
    public func encode(_ frame: EncoderFrame, sink: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        let f = frame.pointer
        guard Int(f.pointee.width) == width && Int(f.pointee.height) == height else {
            throw MediaError(operation: "encode", "a \(f.pointee.width)x\(f.pointee.height) frame for a \(width)x\(height) video ('\(path)')")
        }
        f.pointee.pts = Int64(framesSent)
        framesSent += 1
        let t0 = DispatchTime.now().uptimeNanoseconds
        let rc = avcodec_send_frame(ctx, f)
        if rc < 0 { throw MediaError(operation: "encode", "libx264 refused a frame of", path, code: rc) }
        try drain(sink)
        encodeSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    /// Flushes the encoder's delayed frames.
    public func finish(sink: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let rc = avcodec_send_frame(ctx, nil)
        if rc < 0 && rc != AVCode.eof { throw MediaError(operation: "encode", "cannot flush libx264 for", path, code: rc) }
        try drain(sink)
        encodeSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    private func drain(_ sink: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        while true {
            let rc = avcodec_receive_packet(ctx, packet.pointer)
            if rc == AVCode.again || rc == AVCode.eof { return }
            if rc < 0 { throw MediaError(operation: "encode", "libx264 failed on", path, code: rc) }
            try sink(packet.pointer)
            packet.unref()
        }
    }
}
