import CFFmpeg
import CFFmpegSupport
import Foundation

/// The audio of a file on its way into a muxer: AAC is copied packet for packet (no re-encode);
/// anything else is decoded, resampled (libswresample) and encoded with FFmpeg's AAC encoder.
/// It also reports the file's video size and frame rate, the defaults of `mux`.
public final class AudioTrack {
    public let path: String
    private var fmt: UnsafeMutablePointer<AVFormatContext>?
    private let streamIndex: Int
    public var hasAudio: Bool { streamIndex >= 0 }
    public private(set) var codecName: String?
    /// The audio's length in seconds (0 without audio).
    public private(set) var duration: Double = 0
    public private(set) var videoWidth: Int?
    public private(set) var videoHeight: Int?
    public private(set) var videoFPS: Rational?
    public var copies: Bool { transcoder == nil }

    private var transcoder: AudioTranscoder?
    private var outStream = -1
    private var inputDone = false
    private var pending: [UnsafeMutablePointer<AVPacket>] = []
    private let readPacket: UnsafeMutablePointer<AVPacket>
    /// Packets written so far (the copy's count matches the source's).
    public private(set) var packetsWritten = 0

    public init(path: String) throws {
        self.path = path
        readPacket = av_packet_alloc()
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        var rc = avformat_open_input(&ctx, path, nil, nil)
        guard rc >= 0, let ctx else { throw MediaError("mux: cannot open", path, code: rc) }
        fmt = ctx
        rc = avformat_find_stream_info(ctx, nil)
        guard rc >= 0 else { throw MediaError("mux: cannot read the streams of", path, code: rc) }
        let v = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        if v >= 0, let st = ctx.pointee.streams[Int(v)] {
            videoWidth = Int(st.pointee.codecpar.pointee.width)
            videoHeight = Int(st.pointee.codecpar.pointee.height)
            var r = st.pointee.avg_frame_rate
            if r.num <= 0 || r.den <= 0 { r = st.pointee.r_frame_rate }
            if r.num > 0 && r.den > 0 { videoFPS = Rational(Int(r.num), Int(r.den)) }
        }
        let a = av_find_best_stream(ctx, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        streamIndex = a >= 0 ? Int(a) : -1
        guard a >= 0, let st = ctx.pointee.streams[Int(a)] else { return }
        for i in 0..<Int(ctx.pointee.nb_streams) where i != streamIndex {
            ctx.pointee.streams[i]!.pointee.discard = AVDISCARD_ALL
        }
        let par = st.pointee.codecpar!
        codecName = String(cString: avcodec_get_name(par.pointee.codec_id))
        let tb = st.pointee.time_base
        if st.pointee.duration > 0 {
            duration = Double(st.pointee.duration) * Double(tb.num) / Double(tb.den)
        } else if ctx.pointee.duration > 0 {
            duration = Double(ctx.pointee.duration) / Double(AV_TIME_BASE)
        }
        if par.pointee.codec_id != AV_CODEC_ID_AAC {
            transcoder = try AudioTranscoder(par: par, timeBase: tb, path: path)
            transcoder!.limitSeconds = duration
        }
    }

    deinit {
        pending.forEach { var p: UnsafeMutablePointer<AVPacket>? = $0; av_packet_free(&p) }
        var p: UnsafeMutablePointer<AVPacket>? = readPacket
        av_packet_free(&p)
        if fmt != nil { avformat_close_input(&fmt) }
    }

    /// Adds the audio stream to `muxer` (before its header).
    public func addStream(to muxer: Muxer) throws {
        guard hasAudio, let fmt else { return }
        if let transcoder {
            try transcoder.openEncoder(globalHeader: muxer.wantsGlobalHeader)
            outStream = try muxer.addStream(encoder: transcoder.encoder!)
        } else {
            let st = fmt.pointee.streams[streamIndex]!
            outStream = try muxer.addStream(copying: st.pointee.codecpar, timeBase: st.pointee.time_base)
        }
    }

    private var packetTimeBase: AVRational {
        transcoder?.encoder?.pointee.time_base ?? fmt!.pointee.streams[streamIndex]!.pointee.time_base
    }

    /// Writes every audio packet that starts at or before `seconds` (nil: all that are left).
    public func write(until seconds: Double?, to muxer: Muxer) throws {
        guard hasAudio, outStream >= 0 else { return }
        let tb = packetTimeBase
        while true {
            if let first = pending.first {
                let t = Double(first.pointee.pts == pff_nopts_value() ? first.pointee.dts : first.pointee.pts) * Double(tb.num) / Double(tb.den)
                if let seconds, t > seconds { return }
                pending.removeFirst()
                try muxer.write(first, stream: outStream, from: tb)
                packetsWritten += 1
                var p: UnsafeMutablePointer<AVPacket>? = first
                av_packet_free(&p)
                continue
            }
            if inputDone { return }
            try readMore()
        }
    }

    private func readMore() throws {
        let rc = av_read_frame(fmt, readPacket)
        if rc == AVCode.eof {
            inputDone = true
            if let transcoder { pending += try transcoder.finish() }
            return
        }
        if rc < 0 { throw MediaError("mux: cannot read the audio of", path, code: rc) }
        defer { av_packet_unref(readPacket) }
        guard Int(readPacket.pointee.stream_index) == streamIndex else { return }
        if let transcoder {
            pending += try transcoder.transcode(readPacket)
        } else {
            pending.append(av_packet_clone(readPacket))
        }
    }
}
