import CFFmpeg
import CFFmpegSupport

/// What `open` reports about a video file: its length, frame rate, size and audio.
public struct MediaInfo: Sendable {
    public let path: String
    public let duration: Double
    public let fps: Rational
    public let frameCount: Int
    public let width: Int
    public let height: Int
    public let hasAudio: Bool
    public let audioCodec: String?
    public let sampleRate: Int?
    public let channels: Int?

    public init(path: String, duration: Double, fps: Rational, frameCount: Int, width: Int, height: Int,
                hasAudio: Bool, audioCodec: String?, sampleRate: Int?, channels: Int?) {
        self.path = path; self.duration = duration; self.fps = fps; self.frameCount = frameCount
        self.width = width; self.height = height; self.hasAudio = hasAudio
        self.audioCodec = audioCodec; self.sampleRate = sampleRate; self.channels = channels
    }

    /// Opens the file and reads its streams (no decoding).
    public static func probe(_ path: String) throws -> MediaInfo {
        let file = try InputFile(path: path)
        let format = String(cString: file.pointer.pointee.iformat.pointee.name)
        if format == "image2" || format.hasSuffix("_pipe") {
            throw MediaError("'\(path)' is a still picture, not a video (read it with image)")
        }
        guard let v = file.bestStream(AVMEDIA_TYPE_VIDEO) else {
            throw MediaError("no video stream in '\(path)'")
        }
        return try MediaInfo(file: file, videoStream: v)
    }

    init(file: InputFile, videoStream v: Int) throws {
        let path = file.path
        let stream = file.stream(v)
        let par = stream.pointee.codecpar!.pointee
        // Phones and some editors store the picture sideways with a display matrix saying how to
        // turn it; frames are read as stored, so such a video would come out sideways: refused.
        let rotation = Int(pff_stream_rotation(stream).rounded())
        guard rotation % 360 == 0 else {
            throw MediaError("'\(path)' is stored rotated (its display matrix turns it by \(abs(rotation)) degrees) and podcast-i2v reads frames as stored, so the result would be sideways; expected an upright video: rotate it first, e.g. ffmpeg -i IN -c:a copy OUT.mp4")
        }
        guard par.width > 0, par.height > 0 else { throw MediaError("'\(path)' gives no picture size (a damaged file, or not a video or picture)") }
        var rate = stream.pointee.avg_frame_rate
        if rate.num <= 0 || rate.den <= 0 { rate = stream.pointee.r_frame_rate }
        if rate.num <= 0 || rate.den <= 0 { rate = AVRational(num: 25, den: 1) }
        let fps = Rational(Int(rate.num), Int(rate.den))

        var duration = 0.0
        let tb = stream.pointee.time_base
        if stream.pointee.duration != pff_nopts_value(), stream.pointee.duration > 0, tb.den > 0 {
            duration = Double(stream.pointee.duration) * Double(tb.num) / Double(tb.den)
        } else if file.pointer.pointee.duration != pff_nopts_value(), file.pointer.pointee.duration > 0 {
            duration = Double(file.pointer.pointee.duration) / Double(AV_TIME_BASE)
        }
        var frames = Int(stream.pointee.nb_frames)
        if frames <= 0 { frames = Int((duration * fps.double).rounded()) }
        if stream.pointee.nb_frames <= 0 || duration <= 0 { duration = max(duration, Double(frames) / fps.double) }

        var audioCodec: String?, sampleRate: Int?, channels: Int?
        if let a = file.bestStream(AVMEDIA_TYPE_AUDIO) {
            let ap = file.stream(a).pointee.codecpar!.pointee
            audioCodec = String(cString: avcodec_get_name(ap.codec_id))
            sampleRate = Int(ap.sample_rate)
            channels = Int(ap.ch_layout.nb_channels)
        }
        self.init(path: path, duration: duration, fps: fps, frameCount: frames,
                  width: Int(par.width), height: Int(par.height), hasAudio: audioCodec != nil,
                  audioCodec: audioCodec, sampleRate: sampleRate, channels: channels)
    }

    /// `001.mp4 · 1920x1080 · 30 fps · 5400 frames · 180.00 s · aac 44100 Hz 2 ch`
    public var summary: String {
        var s = "\(path) · \(width)x\(height) · \(fps) fps · \(frameCount) frames · " + String(format: "%.2f s", duration)
        if let audioCodec {
            s += " · \(audioCodec)"
            if let sampleRate { s += " \(sampleRate) Hz" }
            if let channels { s += " \(channels) ch" }
        } else {
            s += " · no audio"
        }
        return s
    }
}
