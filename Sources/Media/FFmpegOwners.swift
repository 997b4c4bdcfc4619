import CFFmpeg
import CFFmpegSupport

// One owner per FFmpeg object: each final class frees exactly what it allocated in `deinit`.
// Borrowed pointers (`.pointer`) never outlive their owner.

/// An opened input file (`AVFormatContext`), its stream info read.
final class InputFile {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    let path: String

    /// `operation` goes in front of its errors ("mux: cannot open ...").
    init(path: String, operation: String? = nil) throws {
        pff_set_log_quiet(1)
        if let problem = FilePath.notReadable(path) { throw MediaError(operation: operation, "cannot open '\(path)': \(problem)") }
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        // A literal name: no image-sequence pattern ('%d'), no protocol ('pipe:0.mp4').
        var opts: OpaquePointer?
        av_dict_set(&opts, "pattern_type", "none", 0)
        defer { av_dict_free(&opts) }
        let rc = avformat_open_input(&ctx, FilePath.ffmpegURL(path), nil, &opts)
        guard rc >= 0, let ctx else { throw MediaError(operation: operation, "cannot open", path, code: rc) }
        pointer = ctx
        self.path = path
        let info = avformat_find_stream_info(ctx, nil)
        guard info >= 0 else { throw MediaError(operation: operation, "cannot read the streams of", path, code: info) }
    }

    deinit {
        var p: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&p)
    }

    var streamCount: Int { Int(pointer.pointee.nb_streams) }

    func stream(_ i: Int) -> UnsafeMutablePointer<AVStream> { pointer.pointee.streams[i]! }

    /// The best stream of a type, or nil.
    func bestStream(_ type: AVMediaType) -> Int? {
        let i = av_find_best_stream(pointer, type, -1, -1, nil, 0)
        return i >= 0 ? Int(i) : nil
    }

    /// The next packet into `packet`; false at the end of the file.
    func read(into packet: Packet, operation: String? = nil, what: String = "cannot read") throws -> Bool {
        let rc = av_read_frame(pointer, packet.pointer)
        if rc == AVCode.eof { return false }
        guard rc >= 0 else { throw MediaError(operation: operation, what, path, code: rc) }
        return true
    }
}

/// An `AVPacket`.
final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>
    init() {
        guard let p = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
        pointer = p
    }
    /// A new reference to the same data.
    init(referencing other: Packet) throws {
        guard let p = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
        pointer = p
        let rc = av_packet_ref(p, other.pointer)
        if rc < 0 { throw MediaError("cannot keep a packet", nil, code: rc) }
    }
    deinit {
        var p: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&p)
    }
    func unref() { av_packet_unref(pointer) }
    var isKey: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }
}

/// An `AVFrame`.
public final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>
    init() {
        guard let p = av_frame_alloc() else { fatalError("av_frame_alloc: out of memory") }
        pointer = p
    }
    deinit {
        var p: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&p)
    }
    func unref() { av_frame_unref(pointer) }
    public var width: Int { Int(pointer.pointee.width) }
    public var height: Int { Int(pointer.pointee.height) }
    /// The best-effort timestamp in the stream's time base (AV_NOPTS_VALUE when unknown).
    var timestamp: Int64 {
        let t = pointer.pointee.best_effort_timestamp
        return t != pff_nopts_value() ? t : pointer.pointee.pts
    }
}

/// A decoder (`AVCodecContext`) opened for one stream, threaded.
final class Decoder {
    private let context: CodecContext
    var pointer: UnsafeMutablePointer<AVCodecContext> { context.pointer }
    let path: String

    convenience init(stream: UnsafeMutablePointer<AVStream>, path: String, threads: Int32 = 0) throws {
        try self.init(parameters: stream.pointee.codecpar!, timeBase: stream.pointee.time_base, path: path, threads: threads)
    }

    init(parameters par: UnsafePointer<AVCodecParameters>, timeBase: AVRational, path: String, threads: Int32 = 0) throws {
        guard let codec = avcodec_find_decoder(par.pointee.codec_id) else {
            throw MediaError("no decoder for the codec '\(String(cString: avcodec_get_name(par.pointee.codec_id)))' of '\(path)'")
        }
        context = CodecContext(codec: codec)
        let ctx = context.pointer
        self.path = path
        var rc = avcodec_parameters_to_context(ctx, par)
        guard rc >= 0 else { throw MediaError("cannot set up the decoder for", path, code: rc) }
        ctx.pointee.pkt_timebase = timeBase
        ctx.pointee.thread_count = threads
        ctx.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        rc = avcodec_open2(ctx, codec, nil)
        guard rc >= 0 else { throw MediaError("cannot open the decoder for", path, code: rc) }
    }

    /// Sends a packet (nil flushes). EAGAIN is reported as false: receive first.
    func send(_ packet: Packet?) throws -> Bool {
        let rc = avcodec_send_packet(pointer, packet?.pointer)
        if rc == AVCode.again || rc == AVCode.eof { return false }
        guard rc >= 0 else { throw MediaError("cannot decode", path, code: rc) }
        return true
    }

    /// Receives a frame; false when the decoder needs more input or is drained.
    func receive(_ frame: Frame) throws -> Bool {
        frame.unref()
        let rc = avcodec_receive_frame(pointer, frame.pointer)
        if rc == AVCode.again || rc == AVCode.eof { return false }
        guard rc >= 0 else { throw MediaError("cannot decode", path, code: rc) }
        return true
    }
}

/// The one owner of every `AVCodecContext` (decoders, encoders, the transcode's audio decoder).
final class CodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>
    init(codec: UnsafePointer<AVCodec>) {
        guard let p = avcodec_alloc_context3(codec) else { fatalError("avcodec_alloc_context3: out of memory") }
        pointer = p
    }
    deinit {
        var p: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&p)
    }
}

/// A libswresample context, set up and initialised.
final class Resampler {
    let pointer: OpaquePointer
    init(to out: UnsafeMutablePointer<AVChannelLayout>, _ outFormat: AVSampleFormat, _ outRate: Int32,
         from input: UnsafeMutablePointer<AVChannelLayout>, _ inFormat: AVSampleFormat, _ inRate: Int32, path: String) throws {
        var ctx: OpaquePointer?
        let rc = swr_alloc_set_opts2(&ctx, out, outFormat, outRate, input, inFormat, inRate, 0, nil)
        guard rc >= 0, let ctx else { throw MediaError(operation: "mux", "cannot set up resampling for", path, code: rc) }
        pointer = ctx
        let initialised = swr_init(ctx)
        guard initialised >= 0 else { throw MediaError(operation: "mux", "cannot set up resampling for", path, code: initialised) }
    }
    deinit {
        var p: OpaquePointer? = pointer
        swr_free(&p)
    }
}

/// An `AVAudioFifo` of planar samples.
final class AudioFifo {
    let pointer: OpaquePointer
    init(format: AVSampleFormat, channels: Int32) {
        guard let p = av_audio_fifo_alloc(format, channels, 4096) else { fatalError("av_audio_fifo_alloc: out of memory") }
        pointer = p
    }
    deinit { av_audio_fifo_free(pointer) }
    var size: Int32 { av_audio_fifo_size(pointer) }
}

/// A copy of a stream's `AVCodecParameters`, for a decoder opened after the file is closed.
final class CodecParameters {
    let pointer: UnsafeMutablePointer<AVCodecParameters>
    init(copying source: UnsafePointer<AVCodecParameters>) throws {
        guard let p = avcodec_parameters_alloc() else { fatalError("avcodec_parameters_alloc: out of memory") }
        pointer = p
        let rc = avcodec_parameters_copy(p, source)
        if rc < 0 { throw MediaError("cannot copy the codec parameters", nil, code: rc) }
    }
    deinit {
        var p: UnsafeMutablePointer<AVCodecParameters>? = pointer
        avcodec_parameters_free(&p)
    }
}

/// A swscale context.
final class Scaler {
    let pointer: OpaquePointer
    let srcW: Int32, srcH: Int32, srcFormat: AVPixelFormat, dstW: Int32, dstH: Int32, dstFormat: AVPixelFormat

    init?(srcW: Int, srcH: Int, srcFormat: AVPixelFormat, dstW: Int, dstH: Int, dstFormat: AVPixelFormat, flags: Int32) {
        guard let p = sws_getContext(Int32(srcW), Int32(srcH), srcFormat, Int32(dstW), Int32(dstH), dstFormat, flags, nil, nil, nil) else { return nil }
        pointer = p
        self.srcW = Int32(srcW); self.srcH = Int32(srcH); self.srcFormat = srcFormat
        self.dstW = Int32(dstW); self.dstH = Int32(dstH); self.dstFormat = dstFormat
    }

    /// Same-format scaling or conversion without the frame-tagged colour setup.
    convenience init?(srcW: Int, srcH: Int, srcFormat: AVPixelFormat, dstW: Int, dstH: Int, dstFormat: AVPixelFormat) {
        self.init(srcW: srcW, srcH: srcH, srcFormat: srcFormat, dstW: dstW, dstH: dstH, dstFormat: dstFormat, flags: SWS_BICUBIC)
    }

    deinit { sws_freeContext(pointer) }

    func matches(srcW: Int, srcH: Int, srcFormat: AVPixelFormat, dstW: Int, dstH: Int) -> Bool {
        self.srcW == Int32(srcW) && self.srcH == Int32(srcH) && self.srcFormat == srcFormat && self.dstW == Int32(dstW) && self.dstH == Int32(dstH)
    }

    /// YUV→RGB as the frame is tagged (matrix and range), as ffmpeg's scale filter and OpenCV do.
    func setColorspace(of frame: UnsafeMutablePointer<AVFrame>) {
        if let desc = av_pix_fmt_desc_get(srcFormat), desc.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) != 0 { return }
        if srcFormat == AV_PIX_FMT_GRAY8 || srcFormat == AV_PIX_FMT_PAL8 { return }
        let space = frame.pointee.colorspace
        let table = sws_getCoefficients(space == AVCOL_SPC_UNSPECIFIED ? SWS_CS_DEFAULT : Int32(space.rawValue))
        let srcFull: Int32 = frame.pointee.color_range == AVCOL_RANGE_JPEG || isJPEGFormat(srcFormat) ? 1 : 0
        let dstIsRGB = dstFormat == AV_PIX_FMT_RGB24 || dstFormat == AV_PIX_FMT_BGR24
        sws_setColorspaceDetails(pointer, table, srcFull, table, dstIsRGB ? 1 : srcFull, 0, 1 << 16, 1 << 16)
    }
}

func isJPEGFormat(_ f: AVPixelFormat) -> Bool {
    f == AV_PIX_FMT_YUVJ420P || f == AV_PIX_FMT_YUVJ422P || f == AV_PIX_FMT_YUVJ444P || f == AV_PIX_FMT_YUVJ440P
}

/// An encoder (`AVCodecContext`), set up by `configure` before it is opened.
final class Encoder {
    private let context: CodecContext
    var pointer: UnsafeMutablePointer<AVCodecContext> { context.pointer }
    let path: String

    init(_ id: AVCodecID, path: String, configure: (UnsafeMutablePointer<AVCodecContext>) -> Void) throws {
        let name = String(cString: avcodec_get_name(id))
        guard let codec = avcodec_find_encoder(id) else { throw MediaError("cannot write '\(path)': no \(name) encoder in this FFmpeg") }
        context = CodecContext(codec: codec)
        let ctx = context.pointer
        self.path = path
        configure(ctx)
        let rc = avcodec_open2(ctx, codec, nil)
        guard rc >= 0 else { throw MediaError("cannot open the \(name) encoder for", path, code: rc) }
    }

    /// Sends a frame (nil flushes).
    func send(_ frame: Frame?) throws {
        let rc = avcodec_send_frame(pointer, frame?.pointer)
        guard rc >= 0 || rc == AVCode.eof else { throw MediaError("cannot encode", path, code: rc) }
    }

    /// Receives a packet; false when the encoder needs more input or is drained.
    func receive(_ packet: Packet) throws -> Bool {
        let rc = avcodec_receive_packet(pointer, packet.pointer)
        if rc == AVCode.again || rc == AVCode.eof { return false }
        guard rc >= 0 else { throw MediaError("cannot encode", path, code: rc) }
        return true
    }
}

/// A filter graph (`AVFilterGraph`); its filters belong to it and go with it.
final class FilterGraph {
    let pointer: UnsafeMutablePointer<AVFilterGraph>
    /// The file the graph works for, named in its errors.
    let path: String?

    init(path: String?) {
        guard let g = avfilter_graph_alloc() else { fatalError("avfilter_graph_alloc: out of memory") }
        pointer = g
        self.path = path
    }

    deinit {
        var p: UnsafeMutablePointer<AVFilterGraph>? = pointer
        avfilter_graph_free(&p)
    }

    func error(_ what: String, code: Int32) -> MediaError {
        path == nil ? MediaError(what, nil, code: code) : MediaError("\(what) for", path, code: code)
    }

    /// A filter by name, with its options as a string ("stats_mode=full").
    func add(_ name: String, _ args: String? = nil) throws -> UnsafeMutablePointer<AVFilterContext> {
        guard let filter = avfilter_get_by_name(name) else { throw MediaError("this FFmpeg has no '\(name)' filter") }
        var ctx: UnsafeMutablePointer<AVFilterContext>?
        let rc = avfilter_graph_create_filter(&ctx, filter, name, args, nil, pointer)
        guard rc >= 0, let ctx else { throw error("cannot set up the '\(name)' filter", code: rc) }
        return ctx
    }

    func link(_ src: UnsafeMutablePointer<AVFilterContext>, _ srcPad: UInt32,
              _ dst: UnsafeMutablePointer<AVFilterContext>, _ dstPad: UInt32) throws {
        let rc = avfilter_link(src, srcPad, dst, dstPad)
        guard rc >= 0 else { throw error("cannot link the filters", code: rc) }
    }

    /// Checks the links and agrees the formats (inserting conversions where filters differ).
    func configure() throws {
        let rc = avfilter_graph_config(pointer, nil)
        guard rc >= 0 else { throw error("cannot configure the filters", code: rc) }
    }
}
