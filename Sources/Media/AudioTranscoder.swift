import CFFmpeg
import CFFmpegSupport

/// Audio that is not AAC: decoded, converted to planar float at an AAC sample rate
/// (libswresample), cut into 1024-sample frames and encoded with FFmpeg's `aac` encoder.
final class AudioTranscoder {
    private let path: String
    private var decoder: UnsafeMutablePointer<AVCodecContext>?
    private(set) var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var swr: OpaquePointer?
    private var fifo: OpaquePointer?
    private let decoded: UnsafeMutablePointer<AVFrame>
    private let encFrame: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>
    private var samplesOut: Int64 = 0
    private let sourceRate: Int32
    private let channels: Int32
    /// The source's stated length in samples: decoded padding past it (MP3's) is dropped so the
    /// AAC lasts as long as the source says.
    var limitSeconds: Double = 0
    private var limitSamples: Int64 = .max

    static let aacRates: [Int32] = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350]

    init(par: UnsafeMutablePointer<AVCodecParameters>, timeBase: AVRational, path: String) throws {
        self.path = path
        decoded = av_frame_alloc()
        encFrame = av_frame_alloc()
        packet = av_packet_alloc()
        guard let codec = avcodec_find_decoder(par.pointee.codec_id) else {
            throw MediaError("mux: no decoder for the \(String(cString: avcodec_get_name(par.pointee.codec_id))) audio of '\(path)'")
        }
        decoder = avcodec_alloc_context3(codec)
        var rc = avcodec_parameters_to_context(decoder, par)
        if rc < 0 { throw MediaError("mux: audio parameters of", path, code: rc) }
        decoder!.pointee.pkt_timebase = timeBase
        rc = avcodec_open2(decoder, codec, nil)
        if rc < 0 { throw MediaError("mux: cannot open the audio decoder for", path, code: rc) }
        if decoder!.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
            let n = decoder!.pointee.ch_layout.nb_channels
            av_channel_layout_uninit(&decoder!.pointee.ch_layout)
            av_channel_layout_default(&decoder!.pointee.ch_layout, max(n, 1))
        }
        sourceRate = decoder!.pointee.sample_rate
        channels = min(max(decoder!.pointee.ch_layout.nb_channels, 1), 8)
    }

    deinit {
        avcodec_free_context(&decoder)
        avcodec_free_context(&encoder)
        swr_free(&swr)
        if let fifo { av_audio_fifo_free(fifo) }
        var f: UnsafeMutablePointer<AVFrame>? = decoded
        av_frame_free(&f)
        f = encFrame
        av_frame_free(&f)
        var p: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&p)
    }

    func openEncoder(globalHeader: Bool) throws {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_AAC) else { throw MediaError("mux: this FFmpeg has no AAC encoder") }
        guard let enc = avcodec_alloc_context3(codec) else { throw MediaError("mux: out of memory") }
        encoder = enc
        let rate = AudioTranscoder.aacRates.contains(sourceRate) ? sourceRate : 48000
        enc.pointee.sample_rate = rate
        enc.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        av_channel_layout_default(&enc.pointee.ch_layout, channels)
        enc.pointee.bit_rate = Int64(channels >= 2 ? 192_000 : 128_000)
        enc.pointee.time_base = AVRational(num: 1, den: rate)
        if globalHeader { enc.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER) }
        var rc = avcodec_open2(enc, codec, nil)
        if rc < 0 { throw MediaError("mux: cannot open the AAC encoder for", path, code: rc) }
        rc = swr_alloc_set_opts2(&swr, &enc.pointee.ch_layout, AV_SAMPLE_FMT_FLTP, rate,
                                 &decoder!.pointee.ch_layout, decoder!.pointee.sample_fmt, sourceRate, 0, nil)
        if rc < 0 { throw MediaError("mux: cannot set up resampling for", path, code: rc) }
        rc = swr_init(swr)
        if rc < 0 { throw MediaError("mux: cannot set up resampling for", path, code: rc) }
        fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, channels, 4096)
        if limitSeconds > 0 { limitSamples = Int64((limitSeconds * Double(rate)).rounded()) }
    }

    /// Packets ready after one input packet (owned by the caller).
    func transcode(_ input: UnsafeMutablePointer<AVPacket>) throws -> [UnsafeMutablePointer<AVPacket>] {
        var rc = avcodec_send_packet(decoder, input)
        // A damaged packet is skipped, as players do.
        if rc < 0 && rc != AVCode.again { return [] }
        var out: [UnsafeMutablePointer<AVPacket>] = []
        while true {
            rc = avcodec_receive_frame(decoder, decoded)
            if rc == AVCode.again || rc == AVCode.eof { break }
            if rc < 0 { throw MediaError("mux: cannot decode the audio of", path, code: rc) }
            try resample(decoded)
            av_frame_unref(decoded)
            out += try encodeFull(final: false)
        }
        return out
    }

    /// Drains the decoder, the resampler, the last short frame and the encoder.
    func finish() throws -> [UnsafeMutablePointer<AVPacket>] {
        var out: [UnsafeMutablePointer<AVPacket>] = []
        avcodec_send_packet(decoder, nil)
        while avcodec_receive_frame(decoder, decoded) >= 0 {
            try resample(decoded)
            av_frame_unref(decoded)
            out += try encodeFull(final: false)
        }
        try resample(nil)
        out += try encodeFull(final: true)
        avcodec_send_frame(encoder, nil)
        out += try receive()
        return out
    }

    private func resample(_ frame: UnsafeMutablePointer<AVFrame>?) throws {
        let inCount = frame.map { Int32($0.pointee.nb_samples) } ?? 0
        let capacity = swr_get_out_samples(swr, inCount) + 32
        guard capacity > 0 else { return }
        var buffers: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?
        var rc = av_samples_alloc_array_and_samples(&buffers, nil, channels, capacity, AV_SAMPLE_FMT_FLTP, 0)
        if rc < 0 { throw MediaError("mux: out of memory resampling", path, code: rc) }
        defer { av_freep(&buffers![0]); av_freep(&buffers) }
        let n: Int32
        if let frame {
            n = frame.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: Int(channels)) {
                swr_convert(swr, buffers, capacity, $0, inCount)
            }
        } else {
            n = swr_convert(swr, buffers, capacity, nil, 0)
        }
        if n < 0 { throw MediaError("mux: cannot resample the audio of", path, code: n) }
        guard n > 0 else { return }
        rc = buffers!.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: Int(channels)) {
            av_audio_fifo_write(fifo, $0, n)
        }
        if rc < n { throw MediaError("mux: out of memory buffering the audio of '\(path)'") }
    }

    private func encodeFull(final: Bool) throws -> [UnsafeMutablePointer<AVPacket>] {
        var out: [UnsafeMutablePointer<AVPacket>] = []
        let size = encoder!.pointee.frame_size > 0 ? encoder!.pointee.frame_size : 1024
        while av_audio_fifo_size(fifo) >= size || (final && av_audio_fifo_size(fifo) > 0) {
            let n = Int32(min(Int64(min(size, av_audio_fifo_size(fifo))), limitSamples - samplesOut))
            guard n > 0 else {
                av_audio_fifo_reset(fifo)
                break
            }
            av_frame_unref(encFrame)
            encFrame.pointee.nb_samples = n
            encFrame.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
            encFrame.pointee.sample_rate = encoder!.pointee.sample_rate
            av_channel_layout_copy(&encFrame.pointee.ch_layout, &encoder!.pointee.ch_layout)
            var rc = av_frame_get_buffer(encFrame, 0)
            if rc < 0 { throw MediaError("mux: out of memory encoding", path, code: rc) }
            _ = encFrame.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: Int(channels)) {
                av_audio_fifo_read(fifo, $0, n)
            }
            encFrame.pointee.pts = samplesOut
            samplesOut += Int64(n)
            rc = avcodec_send_frame(encoder, encFrame)
            if rc < 0 { throw MediaError("mux: the AAC encoder refused audio of", path, code: rc) }
            out += try receive()
        }
        return out
    }

    private func receive() throws -> [UnsafeMutablePointer<AVPacket>] {
        var out: [UnsafeMutablePointer<AVPacket>] = []
        while true {
            let rc = avcodec_receive_packet(encoder, packet)
            if rc == AVCode.again || rc == AVCode.eof { return out }
            if rc < 0 { throw MediaError("mux: the AAC encoder failed on", path, code: rc) }
            out.append(av_packet_clone(packet))
            av_packet_unref(packet)
        }
    }
}
