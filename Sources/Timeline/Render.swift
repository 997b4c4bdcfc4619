import CFFmpeg
import CFFmpegSupport
import Foundation
import Media

/// What `mux` makes of a clip and a soundtrack.
public struct MuxOptions: Sendable {
    public var width: Int?
    public var height: Int?
    public var fps: Rational?
    public var fit: Fit = .cover
    public var encoder = VideoEncoderSettings()
    public var showProgress: Bool?
    public init() {}
}

public struct MuxResult: Sendable {
    public let path: String
    public let frames: Int
    public let width: Int
    public let height: Int
    public let fps: Rational
    public let videoSeconds: Double
    public let audioSeconds: Double?
    public let audioCopied: Bool
    public let elapsed: Double
    /// Seconds inside libx264 (the encoder's share of `elapsed`).
    public let encodeSeconds: Double
    /// Seconds the encoder waited for frames from the producer (reading clips, converting).
    public let waitSeconds: Double
}

/// Renders a clip as one H.264 stream, with another file's audio, into an MP4.
public enum Renderer {
    /// - `check` runs before every frame (Ctrl-C: it throws, the partial file is removed).
    public static func mux(_ clip: any Clip, audioFrom audioPath: String?, to out: String, options: MuxOptions = MuxOptions(),
                           check: () throws -> Void = {}) throws -> MuxResult {
        let started = Date()
        pff_set_log_quiet(1)
        for input in sourcePaths(of: clip) + (audioPath.map { [$0] } ?? []) where samePath(input, out) {
            throw MediaError("mux: refusing to write '\(out)': it is an input (choose another output name)")
        }
        let dir = URL(fileURLWithPath: out).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw MediaError("mux: cannot write '\(out)': no folder '\(dir)'")
        }
        let audio = try audioPath.map { try AudioTrack(path: $0) }
        var w = options.width ?? audio?.videoWidth ?? clip.width
        var h = options.height ?? audio?.videoHeight ?? clip.height
        w = max(2, w & ~1); h = max(2, h & ~1)
        let fps = options.fps ?? audio?.videoFPS ?? clip.fps
        let schedule = Schedule(clip, fps: fps)
        let audioSeconds = (audio?.hasAudio ?? false) ? audio!.duration : nil
        // The video lasts as long as the audio: whole frames to cover it, the last one shortened.
        let endSeconds = audioSeconds.flatMap { $0 > 0 ? $0 : nil } ?? Double(schedule.frameCount) * fps.seconds
        let total = max(1, Int((endSeconds / fps.seconds - 1e-3).rounded(.up)))

        let muxer = try Muxer(path: out)
        let encoder = try VideoEncoder(width: w, height: h, fps: fps, fit: options.fit, settings: options.encoder,
                                       globalHeader: muxer.wantsGlobalHeader, path: out)
        let vStream = try muxer.addStream(encoder: encoder.codecContext)
        try audio?.addStream(to: muxer)
        try muxer.writeHeader()

        let etb = encoder.timeBase
        var held: UnsafeMutablePointer<AVPacket>? = nil
        defer { av_packet_free(&held) }
        // Video packets go out one behind, so the last one's duration can end at the audio's end.
        func sink(_ p: UnsafeMutablePointer<AVPacket>) throws {
            if held == nil { held = av_packet_alloc() } else { try flushHeld(last: false) }
            av_packet_move_ref(held, p)
            held!.pointee.duration = 1
        }
        func flushHeld(last: Bool) throws {
            guard let pkt = held, pkt.pointee.data != nil else { return }
            let t = Double(pkt.pointee.dts) * etb.seconds
            try audio?.write(until: t + 0.2, to: muxer)
            if last {
                // Rescale now so the shortened duration keeps the stream's precision.
                let stb = muxer.timeBase(of: vStream)
                av_packet_rescale_ts(pkt, etb, stb)
                let end = Int64((endSeconds / stb.seconds).rounded())
                let lastPTS = Int64((Double(total - 1) * fps.seconds / stb.seconds).rounded())
                pkt.pointee.duration = max(1, end - lastPTS)
                try muxer.write(pkt, stream: vStream, from: stb)
            } else {
                try muxer.write(pkt, stream: vStream, from: etb)
            }
            av_packet_unref(pkt)
        }

        let showProgress = options.showProgress ?? (isatty(2) != 0 && ProcessInfo.processInfo.environment["PODCAST_I2V_NO_PROGRESS"] == nil)
        let progress = Progress("mux", total: total, enabled: showProgress)
        // Frames are read and converted on the producer's thread while this one runs libx264.
        let reader = ScheduleReader(schedule)
        let lastFrame = max(schedule.frameCount - 1, 0)
        let producer = FrameProducer(count: total, width: w, height: h, fit: options.fit) { j in
            try reader.frame(min(j, lastFrame))
        }
        defer { producer.stop() }
        for j in 0..<total {
            try check()
            guard let frame = try producer.next() else {
                throw MediaError("mux: the frames of '\(out)' ended after \(j) of \(total)")
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
        return MuxResult(path: out, frames: total, width: w, height: h, fps: fps, videoSeconds: endSeconds,
                         audioSeconds: audioSeconds, audioCopied: audio?.copies ?? false,
                         elapsed: Date().timeIntervalSince(started), encodeSeconds: encoder.encodeSeconds,
                         waitSeconds: producer.waitSeconds)
    }

    /// Files a clip reads its frames from.
    public static func sourcePaths(of clip: any Clip) -> [String] {
        switch clip {
        case let c as ConcatClip: return c.parts.flatMap(sourcePaths)
        case let c as PadClip: return sourcePaths(of: c.source)
        case let c as any FileBackedClip: return [c.path]
        default: return []
        }
    }

    static func samePath(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0, stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        let ua = URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath().path
        let ub = URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath().path
        return ua == ub
    }
}

/// A clip whose frames come from a file (mux refuses to overwrite it).
public protocol FileBackedClip: Clip {
    var path: String { get }
}

extension Rational {
    /// Seconds per unit (for a frame rate: one frame's length; for a time base: one tick).
    var seconds: Double { Double(den) / Double(num) }
}

extension AVRational {
    var seconds: Double { Double(num) / Double(den) }
}
