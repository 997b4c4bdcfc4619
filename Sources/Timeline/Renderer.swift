import Foundation
import Media

/// Renders a clip as one H.264 stream, with another file's audio, into an MP4: the timeline says
/// which picture each output frame shows (its schedule), the media layer's writer does the rest.
public enum Renderer {
    /// - `check` runs before every frame (Ctrl-C: it throws, the partial file is removed).
    public static func mux(_ clip: any Clip, audioFrom audioPath: String?, to out: String, options: MuxOptions = MuxOptions(),
                           check: () throws -> Void = {}) throws -> MuxResult {
        let started = Date()
        for input in sourcePaths(of: clip) + (audioPath.map { [$0] } ?? []) where samePath(input, out) {
            throw MediaError(operation: "mux", "refusing to write '\(out)': it is an input (choose another output name)")
        }
        let audio = try audioPath.map { try AudioSource(path: $0) }
        var w = options.width ?? audio?.videoWidth ?? clip.width
        var h = options.height ?? audio?.videoHeight ?? clip.height
        w = max(2, w & ~1); h = max(2, h & ~1)
        let fps = options.fps ?? audio?.videoFPS ?? clip.fps
        let schedule = Schedule(clip, fps: fps)
        let showProgress = options.showProgress
            ?? (isatty(2) != 0 && ProcessInfo.processInfo.environment["PODCAST_I2V_NO_PROGRESS"] == nil)
        let video = VideoOutput(width: w, height: h, fps: fps, fit: options.fit, encoder: options.encoder)
        let r = try MP4Writer.write(ScheduleSource(schedule), frameCount: schedule.frameCount, video: video, audio: audio,
                                    to: out, showProgress: showProgress, check: check)
        return MuxResult(path: out, frames: r.frames, width: w, height: h, fps: fps, videoSeconds: r.videoSeconds,
                         audioSeconds: r.audioSeconds, audioCopied: r.audioCopied,
                         elapsed: Date().timeIntervalSince(started), encodeSeconds: r.encodeSeconds,
                         waitSeconds: r.waitSeconds)
    }

    /// Files a clip reads its frames from.
    public static func sourcePaths(of clip: any Clip) -> [String] {
        switch clip {
        case let c as ConcatClip: return c.parts.flatMap(sourcePaths)
        case let c as PadClip: return sourcePaths(of: c.source)
        case let c as ComposedClip: return sourcePaths(of: c.motion) + [c.source.path]
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
