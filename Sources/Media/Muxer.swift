import CFFmpeg
import CFFmpegSupport
import Foundation

/// A file being muxed — an MP4 by default (the index moved to the front, `faststart`), or
/// another format FFmpeg writes, such as the preview's GIF: streams, interleaved packets. It
/// writes to a temporary name beside the target and renames it when `finish` succeeds; a muxer
/// dropped unfinished (an error, Ctrl-C) deletes its temporary file, so the target appears only
/// when complete.
public final class Muxer {
    public let path: String
    public let temporaryPath: String
    private var fmt: UnsafeMutablePointer<AVFormatContext>?
    private var headerWritten = false
    private var finished = false
    /// The muxer's own options, given to it with the header.
    private let options: [String: String]

    public init(path: String, format: String = "mp4", options: [String: String] = ["movflags": "+faststart"]) throws {
        self.path = path
        self.options = options
        TemporaryFiles.sweep(besides: path)
        temporaryPath = TemporaryFiles.path(for: path, tag: "partial", suffix: ".\(format)")
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        let rc = avformat_alloc_output_context2(&ctx, nil, format, FilePath.ffmpegURL(temporaryPath))
        guard rc >= 0, let ctx else { throw MediaError(operation: "mux", "cannot create", path, code: rc) }
        fmt = ctx
    }

    deinit {
        if let fmt {
            if headerWritten && !finished { av_write_trailer(fmt) }
            if fmt.pointee.pb != nil { avio_closep(&fmt.pointee.pb) }
            avformat_free_context(fmt)
        }
        if !finished { unlink(temporaryPath) }
    }

    /// Whether encoders must put their parameter sets in extradata.
    public var wantsGlobalHeader: Bool { (fmt!.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER) != 0 }

    /// A stream whose parameters come from an opened encoder.
    public func addStream(encoder ctx: UnsafeMutablePointer<AVCodecContext>) throws -> Int {
        guard let st = avformat_new_stream(fmt, nil) else { throw MediaError(operation: "mux", "cannot add a stream to '\(path)'") }
        let rc = avcodec_parameters_from_context(st.pointee.codecpar, ctx)
        guard rc >= 0 else { throw MediaError(operation: "mux", "stream parameters for", path, code: rc) }
        st.pointee.time_base = ctx.pointee.time_base
        st.pointee.avg_frame_rate = ctx.pointee.framerate
        return Int(st.pointee.index)
    }

    /// A stream copied from another file's stream (audio copied packet for packet).
    public func addStream(copying par: UnsafePointer<AVCodecParameters>, timeBase: AVRational) throws -> Int {
        guard let st = avformat_new_stream(fmt, nil) else { throw MediaError(operation: "mux", "cannot add a stream to '\(path)'") }
        let rc = avcodec_parameters_copy(st.pointee.codecpar, par)
        guard rc >= 0 else { throw MediaError(operation: "mux", "stream parameters for", path, code: rc) }
        st.pointee.codecpar.pointee.codec_tag = 0
        st.pointee.time_base = timeBase
        return Int(st.pointee.index)
    }

    public func timeBase(of stream: Int) -> AVRational { fmt!.pointee.streams[stream]!.pointee.time_base }

    public func writeHeader() throws {
        guard let fmt else { return }
        var rc = avio_open(&fmt.pointee.pb, FilePath.ffmpegURL(temporaryPath), AVIO_FLAG_WRITE)
        guard rc >= 0 else { throw MediaError(operation: "mux", "cannot create", path, code: rc) }
        var opts: OpaquePointer?
        for (key, value) in options { av_dict_set(&opts, key, value, 0) }
        defer { av_dict_free(&opts) }
        rc = avformat_write_header(fmt, &opts)
        guard rc >= 0 else { throw MediaError(operation: "mux", "cannot write the header of", path, code: rc) }
        headerWritten = true
    }

    /// Writes a packet whose timestamps are in `from`; takes its data (the packet is left blank).
    public func write(_ packet: UnsafeMutablePointer<AVPacket>, stream: Int, from: AVRational) throws {
        packet.pointee.stream_index = Int32(stream)
        av_packet_rescale_ts(packet, from, timeBase(of: stream))
        let rc = av_interleaved_write_frame(fmt, packet)
        guard rc >= 0 else { throw MediaError(operation: "mux", "cannot write to", path, code: rc) }
    }

    /// Writes the index (moved to the front) and renames the file to its name.
    public func finish() throws {
        guard let fmt else { return }
        var rc = av_write_trailer(fmt)
        headerWritten = false
        guard rc >= 0 else { throw MediaError(operation: "mux", "cannot finish", path, code: rc) }
        rc = avio_closep(&fmt.pointee.pb)
        guard rc >= 0 else { throw MediaError(operation: "mux", "cannot close", path, code: rc) }
        guard rename(temporaryPath, path) == 0 else {
            throw MediaError(operation: "mux", "cannot rename '\(temporaryPath)' to '\(path)': \(String(cString: strerror(errno)))")
        }
        finished = true
    }
}
