import CFFmpeg
import CFFmpegSupport
import Foundation

/// Writes an MP4: H.264 from a frame source (pictures converted to yuv420p on a producer thread
/// while libx264 encodes on the caller's) and, optionally, another file's audio, interleaved.
/// The video lasts exactly as long as the audio: whole frames to cover it, the last one
/// shortened. Timestamps stay integers in their time bases and are rescaled
/// (`av_rescale_q`, `av_packet_rescale_ts`) only where they cross from one to another.
public enum MP4Writer {
    public struct Result: Sendable {
        public let frames: Int
        /// The video's length (the audio's when there is audio), for reports.
        public let videoSeconds: Double
        public let audioSeconds: Double?
        public let audioCopied: Bool
        /// Seconds inside libx264 (the encoder's share of the render).
        public let encodeSeconds: Double
        /// Seconds the encoder waited for frames from the producer (reading sources, converting).
        public let waitSeconds: Double
    }

    /// - `frames` is read on the producer thread only, indices 0..<frameCount in order; past its
    ///   end (audio longer than the pictures) its last picture is held.
    /// - `check` runs before every frame (Ctrl-C: it throws, and no file is left at `path`).
    public static func write(_ frames: any FrameSource, frameCount: Int, video: VideoOutput, audio: AudioSource?,
                             to path: String, showProgress: Bool, check: () throws -> Void = {}) throws -> Result {
        pff_set_log_quiet(1)
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw MediaError(operation: "mux", "cannot write '\(path)': no folder '\(dir)'")
        }
        let fps = video.fps
        let frameBase = AVRational(num: Int32(fps.den), den: Int32(fps.num))
        let audio = audio?.hasAudio == true ? audio : nil
        // The end of the video: the audio's, else the frames'.
        let end: (ticks: Int64, base: AVRational) = audio.flatMap { $0.duration > 0 ? ($0.duration, $0.timeBase) : nil }
            ?? (Int64(frameCount), frameBase)
        let total = framesCovering(end.ticks, end.base, fps)

        let muxer = try Muxer(path: path)
        let encoder = try VideoEncoder(width: video.width, height: video.height, fps: fps, settings: video.encoder,
                                       globalHeader: muxer.wantsGlobalHeader, path: path)
        let vStream = try muxer.addStream(encoder: encoder.codecContext)
        try audio?.addStream(to: muxer)
        try muxer.writeHeader()

        let etb = encoder.timeBase
        let held = Packet()
        var holding = false
        // Video packets go out one behind, so the last one's duration can end at the audio's end.
        func sink(_ p: UnsafeMutablePointer<AVPacket>) throws {
            if holding { try flushHeld(last: false) }
            av_packet_move_ref(held.pointer, p)
            held.pointer.pointee.duration = 1
            holding = true
        }
        func flushHeld(last: Bool) throws {
            guard holding else { return }
            holding = false
            let pkt = held.pointer
            // Audio up to 0.2 s past this packet goes in first: the muxer interleaves by time.
            let micro = AVRational(num: 1, den: 1_000_000)
            try audio?.write(until: (av_rescale_q(pkt.pointee.dts, etb, micro) + 200_000, micro), to: muxer)
            if last {
                // Rescale first so the shortened duration keeps the stream's precision.
                let stb = muxer.timeBase(of: vStream)
                av_packet_rescale_ts(pkt, etb, stb)
                let endTicks = av_rescale_q(end.ticks, end.base, stb)
                let lastPTS = av_rescale_q(Int64(total - 1), frameBase, stb)
                pkt.pointee.duration = max(1, endTicks - lastPTS)
                try muxer.write(pkt, stream: vStream, from: stb)
            } else {
                try muxer.write(pkt, stream: vStream, from: etb)
            }
            av_packet_unref(pkt)
        }

        let progress = Progress("mux", total: total, enabled: showProgress)
        let lastFrame = max(frameCount - 1, 0)
        let producer = FrameProducer(count: total, width: video.width, height: video.height, fit: video.fit) { j in
            try frames.frame(min(j, lastFrame))
        }
        defer { producer.stop() }
        for j in 0..<total {
            try check()
            guard let frame = try producer.next() else {
                throw MediaError(operation: "mux", "the frames of '\(path)' ended after \(j) of \(total)")
            }
            try encoder.encode(frame, sink: sink)
            producer.recycle(frame)
            progress.update(j + 1)
        }
        producer.stop()
        try encoder.finish(sink: sink)
        try flushHeld(last: true)
        try audio?.write(until: nil, to: muxer)
        try check()
        progress.finish()
        try muxer.finish()
        return Result(frames: total, videoSeconds: Double(end.ticks) * Double(end.base.num) / Double(end.base.den),
                      audioSeconds: audio?.seconds, audioCopied: audio?.copies ?? false,
                      encodeSeconds: encoder.encodeSeconds, waitSeconds: producer.waitSeconds)
    }

    /// Whole frames at `fps` that cover `ticks` of `base`, at least one; an end within a
    /// thousandth of a frame past a frame boundary does not get a frame of its own.
    static func framesCovering(_ ticks: Int64, _ base: AVRational, _ fps: Rational) -> Int {
        // frames = ticks·base·fps, exactly: num/den with 128-bit products (hours at 1/90000 s overflow 64).
        let num = Int128(ticks) * Int128(base.num) * Int128(fps.num) * 1000 - Int128(base.den) * Int128(fps.den)
        let den = Int128(base.den) * Int128(fps.den) * 1000
        guard num > 0 else { return 1 }
        return max(1, Int((num + den - 1) / den))
    }
}
