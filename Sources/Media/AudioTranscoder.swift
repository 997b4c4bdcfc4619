import CFFmpeg
import CFFmpegSupport

/// Audio that is not AAC: decoded, converted to planar float at an AAC sample rate
/// (libswresample), cut into 1024-sample frames and encoded with FFmpeg's `aac` encoder.
/// Every FFmpeg object here has its owner, so a failure half-way through set-up frees what was made.
final class AudioTranscoder {
    private let path: String
    private let decoder: CodecContext
    private(set) var encoder: CodecContext?
    private var resampler: Resampler?
    private var fifo: AudioFifo?
    private let decoded = Frame()
    private let encFrame = Frame()
    private let packet = Packet()
    private var samplesOut: Int64 = 0
    private let sourceRate: Int32
    private let channels: Int32
    /// The source's stated length (in `limitTimeBase`): decoded padding past it (MP3's) is
    /// dropped so the AAC lasts as long as the source says. 0: no limit.
    private let limit: Int64
    private let limitTimeBase: AVRational
    private var limitSamples: Int64 = .max

    static let aacRates: [Int32] = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350]

    init(par: UnsafeMutablePointer<AVCodecParameters>, timeBase: AVRational, limit: Int64, limitTimeBase: AVRational,
         path: String) throws {
        self.path = path
        self.limit = limit
        self.limitTimeBase = limitTimeBase
        guard let codec = avcodec_find_decoder(par.pointee.codec_id) else {
            throw MediaError(operation: "mux", "no decoder for the \(String(cString: avcodec_get_name(par.pointee.codec_id))) audio of '\(path)'")
        }
        decoder = CodecContext(codec: codec)
        let d = decoder.pointer
        var rc = avcodec_parameters_to_context(d, par)
        if rc < 0 { throw MediaError(operation: "mux", "audio parameters of", path, code: rc) }
        d.pointee.pkt_timebase = timeBase
        rc = avcodec_open2(d, codec, nil)
        if rc < 0 { throw MediaError(operation: "mux", "cannot open the audio decoder for", path, code: rc) }
        if d.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
            let n = d.pointee.ch_layout.nb_channels
            av_channel_layout_uninit(&d.pointee.ch_layout)
            av_channel_layout_default(&d.pointee.ch_layout, max(n, 1))
        }
        sourceRate = d.pointee.sample_rate
        channels = min(max(d.pointee.ch_layout.nb_channels, 1), 8)
    }

    func openEncoder(globalHeader: Bool) throws {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_AAC) else { throw MediaError(operation: "mux", "this FFmpeg has no AAC encoder") }
        let owner = CodecContext(codec: codec)
        let enc = owner.pointer
        let rate = AudioTranscoder.aacRates.contains(sourceRate) ? sourceRate : 48000
        enc.pointee.sample_rate = rate
        enc.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        av_channel_layout_default(&enc.pointee.ch_layout, channels)
        enc.pointee.bit_rate = Int64(channels >= 2 ? 192_000 : 128_000)
        enc.pointee.time_base = AVRational(num: 1, den: rate)
        if globalHeader { enc.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER) }
        let rc = avcodec_open2(enc, codec, nil)
        if rc < 0 { throw MediaError(operation: "mux", "cannot open the AAC encoder for", path, code: rc) }
        encoder = owner
        resampler = try Resampler(to: &enc.pointee.ch_layout, AV_SAMPLE_FMT_FLTP, rate,
                                  from: &decoder.pointer.pointee.ch_layout, decoder.pointer.pointee.sample_fmt, sourceRate,
                                  path: path)
        fifo = AudioFifo(format: AV_SAMPLE_FMT_FLTP, channels: channels)
        if limit > 0 { limitSamples = av_rescale_q(limit, limitTimeBase, AVRational(num: 1, den: rate)) }
    }

    /// Packets ready after one input packet.
    func transcode(_ input: Packet) throws -> [Packet] {
        var rc = avcodec_send_packet(decoder.pointer, input.pointer)
        // A damaged packet is skipped, as players do.
        if rc < 0 && rc != AVCode.again { return [] }
        var out: [Packet] = []
        while true {
            rc = avcodec_receive_frame(decoder.pointer, decoded.pointer)
            if rc == AVCode.again || rc == AVCode.eof { break }
            if rc < 0 { throw MediaError(operation: "mux", "cannot decode the audio of", path, code: rc) }
            try resample(decoded.pointer)
            decoded.unref()
            out += try encodeFull(final: false)
        }
        return out
    }

    /// Drains the decoder, the resampler, the last short frame and the encoder.
    func finish() throws -> [Packet] {
        var out: [Packet] = []
        avcodec_send_packet(decoder.pointer, nil)
        while avcodec_receive_frame(decoder.pointer, decoded.pointer) >= 0 {
            try resample(decoded.pointer)
            decoded.unref()
            out += try encodeFull(final: false)
        }
        try resample(nil)
        out += try encodeFull(final: true)
        avcodec_send_frame(encoder!.pointer, nil)
        out += try receive()
        return out
    }

    private func resample(_ frame: UnsafeMutablePointer<AVFrame>?) throws {
        let swr = resampler!.pointer
        let inCount = frame.map { Int32($0.pointee.nb_samples) } ?? 0
        let capacity = swr_get_out_samples(swr, inCount) + 32
        guard capacity > 0 else { return }
        var buffers: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?
        var rc = av_samples_alloc_array_and_samples(&buffers, nil, channels, capacity, AV_SAMPLE_FMT_FLTP, 0)
        if rc < 0 { throw MediaError(operation: "mux", "out of memory resampling", path, code: rc) }
        defer { av_freep(&buffers![0]); av_freep(&buffers) }
        let n: Int32
        if let frame {
            n = frame.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: Int(channels)) {
                swr_convert(swr, buffers, capacity, $0, inCount)
            }
        } else {
            n = swr_convert(swr, buffers, capacity, nil, 0)
        }
        if n < 0 { throw MediaError(operation: "mux", "cannot resample the audio of", path, code: n) }
        guard n > 0 else { return }
        rc = buffers!.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: Int(channels)) {
            av_audio_fifo_write(fifo!.pointer, $0, n)
        }
        if rc < n { throw MediaError(operation: "mux", "out of memory buffering the audio of '\(path)'") }
    }

    private func encodeFull(final: Bool) throws -> [Packet] {
        var out: [Packet] = []
        let enc = encoder!.pointer, fifo = fifo!
        let size = enc.pointee.frame_size > 0 ? enc.pointee.frame_size : 1024
        while fifo.size >= size || (final && fifo.size > 0) {
            let n = Int32(min(Int64(min(size, fifo.size)), limitSamples - samplesOut))
            guard n > 0 else {
                av_audio_fifo_reset(fifo.pointer)
                break
            }
            let f = encFrame.pointer
            encFrame.unref()
            f.pointee.nb_samples = n
            f.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
            f.pointee.sample_rate = enc.pointee.sample_rate
            av_channel_layout_copy(&f.pointee.ch_layout, &enc.pointee.ch_layout)
            var rc = av_frame_get_buffer(f, 0)
            if rc < 0 { throw MediaError(operation: "mux", "out of memory encoding", path, code: rc) }
            _ = f.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: Int(channels)) {
                av_audio_fifo_read(fifo.pointer, $0, n)
            }
            f.pointee.pts = samplesOut
            samplesOut += Int64(n)
            rc = avcodec_send_frame(enc, f)
            if rc < 0 { throw MediaError(operation: "mux", "the AAC encoder refused audio of", path, code: rc) }
            out += try receive()
        }
        return out
    }

    private func receive() throws -> [Packet] {
        var out: [Packet] = []
        while true {
            let rc = avcodec_receive_packet(encoder!.pointer, packet.pointer)
            if rc == AVCode.again || rc == AVCode.eof { return out }
            if rc < 0 { throw MediaError(operation: "mux", "the AAC encoder failed on", path, code: rc) }
            let kept = Packet()
            av_packet_move_ref(kept.pointer, packet.pointer)
            out.append(kept)
        }
    }
}
