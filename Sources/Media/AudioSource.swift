import CFFmpeg
import CFFmpegSupport

/// The audio of a file on its way into an MP4: AAC is copied packet for packet (no re-encode);
/// anything else is decoded, resampled (libswresample) and encoded with FFmpeg's AAC encoder.
/// It also reports the file's video size and frame rate, the defaults of `mux`.
public final class AudioSource {
    public let path: String
    private let file: InputFile
    private let streamIndex: Int?
    public var hasAudio: Bool { streamIndex != nil }
    public let codecName: String?
    /// The audio's length, `duration` ticks of `timeBase` (0 without audio): the stream's own
    /// duration, else the container's.
    let duration: Int64
    let timeBase: AVRational
    public let videoWidth: Int?
    public let videoHeight: Int?
    public let videoFPS: Rational?
    public var copies: Bool { transcoder == nil }

    private let transcoder: AudioTranscoder?
    private var outStream = -1
    private var inputDone = false
    private var pending: [Packet] = []
    private let readPacket = Packet()

    public init(path: String) throws {
        self.path = path
        file = try InputFile(path: path, operation: "mux")
        let ctx = file.pointer
        if let v = file.bestStream(AVMEDIA_TYPE_VIDEO) {
            let st = file.stream(v)
            videoWidth = Int(st.pointee.codecpar.pointee.width)
            videoHeight = Int(st.pointee.codecpar.pointee.height)
            var r = st.pointee.avg_frame_rate
            if r.num <= 0 || r.den <= 0 { r = st.pointee.r_frame_rate }
            videoFPS = r.num > 0 && r.den > 0 ? Rational(Int(r.num), Int(r.den)) : nil
        } else {
            (videoWidth, videoHeight, videoFPS) = (nil, nil, nil)
        }
        streamIndex = file.bestStream(AVMEDIA_TYPE_AUDIO)
        guard let a = streamIndex else {
            (codecName, duration, timeBase, transcoder) = (nil, 0, AVRational(num: 1, den: 1), nil)
            return
        }
        for i in 0..<file.streamCount where i != a { file.stream(i).pointee.discard = AVDISCARD_ALL }
        let st = file.stream(a)
        let par = st.pointee.codecpar!
        codecName = String(cString: avcodec_get_name(par.pointee.codec_id))
        if st.pointee.duration > 0 {
            (duration, timeBase) = (st.pointee.duration, st.pointee.time_base)
        } else if ctx.pointee.duration > 0 {
            (duration, timeBase) = (ctx.pointee.duration, AVRational(num: 1, den: AV_TIME_BASE))
        } else {
            (duration, timeBase) = (0, st.pointee.time_base)
        }
        transcoder = par.pointee.codec_id == AV_CODEC_ID_AAC ? nil
            : try AudioTranscoder(par: par, timeBase: st.pointee.time_base, limit: duration, limitTimeBase: timeBase, path: path)
    }

    /// The audio's length in seconds, for reports (nil without audio).
    public var seconds: Double? {
        hasAudio ? Double(duration) * Double(timeBase.num) / Double(timeBase.den) : nil
    }

    /// Adds the audio stream to `muxer` (before its header).
    func addStream(to muxer: Muxer) throws {
        guard let a = streamIndex else { return }
        if let transcoder {
            try transcoder.openEncoder(globalHeader: muxer.wantsGlobalHeader)
            outStream = try muxer.addStream(encoder: transcoder.encoder!.pointer)
        } else {
            let st = file.stream(a)
            outStream = try muxer.addStream(copying: st.pointee.codecpar, timeBase: st.pointee.time_base)
        }
    }

    private var packetTimeBase: AVRational {
        transcoder?.encoder?.pointer.pointee.time_base ?? file.stream(streamIndex!).pointee.time_base
    }

    /// Writes every audio packet that starts at or before `limit` ticks of `limitBase` (nil: all
    /// that are left).
    func write(until limit: (ticks: Int64, base: AVRational)?, to muxer: Muxer) throws {
        guard hasAudio, outStream >= 0 else { return }
        let tb = packetTimeBase
        while true {
            if let first = pending.first {
                let p = first.pointer.pointee
                let t = p.pts == pff_nopts_value() ? p.dts : p.pts
                if let limit, av_compare_ts(t, tb, limit.ticks, limit.base) > 0 { return }
                pending.removeFirst()
                try muxer.write(first.pointer, stream: outStream, from: tb)
                continue
            }
            if inputDone { return }
            try readMore()
        }
    }

    private func readMore() throws {
        guard try file.read(into: readPacket, operation: "mux", what: "cannot read the audio of") else {
            inputDone = true
            if let transcoder { pending += try transcoder.finish() }
            return
        }
        defer { readPacket.unref() }
        guard Int(readPacket.pointer.pointee.stream_index) == streamIndex else { return }
        if let transcoder {
            pending += try transcoder.transcode(readPacket)
        } else {
            pending.append(try Packet(referencing: readPacket))
        }
    }
}
