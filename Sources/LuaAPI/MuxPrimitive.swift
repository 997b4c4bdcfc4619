import Foundation
import LuaBridge
import Media
import Timeline

/// `mux(clip, audio_from, out, opts)` and `clip:save(path, opts)`: render a clip to an MP4.
enum MuxPrimitive {
    static let optionDocs: [(String, String)] = [
        ("size", "'WxH' or 'source' (default: the audio source's video size, else the clip's)"),
        ("fit", "'cover' (crop, default) or 'contain' (letterbox) for clips of another shape"),
        ("fps", "output frame rate (default: the source's, else the clip's)"),
        ("crf", "x264 quality, 0-51 (default 18; lower is better)"),
        ("preset", "x264 preset (default 'medium'; 'veryfast' for drafts)"),
        ("threads", "x264 threads (default 0: automatic)"),
        ("lookahead", "x264 rc-lookahead in frames (default: the preset's, at most 20, which keeps 720p under 300 MB)"),
        ("progress", "show the progress line (default: on a terminal)"),
    ]

    static func register(in session: Session) {
        session.register(PrimitiveDoc(
            "mux", "mux(clip, audio_from, out, {size, fit, fps, crf = 18, preset = 'medium'}) -> info",
            "Renders the clip as H.264 with audio_from's sound (a path or Video; nil for none) into an MP4.",
            options: optionDocs + [("audio_from", "AAC is copied packet for packet; other audio is encoded to AAC")],
            example: "mux(concat(parts), v, 'episode_animated.mp4', {crf = 18, preset = 'medium'})")) { call in
            let clip = try ClipValue.check(call, 1, "clip")
            let audio = try audioPath(call, 2)
            let out = try call.string(3, "out")
            let options = try muxOptions(call, 4)
            return try render(call, clip, audio: audio, out: out, options: options)
        }
    }

    /// The path whose audio (and video size and rate) mux takes.
    static func audioPath(_ call: LuaCall, _ i: Int32) throws -> String? {
        if call.isNil(i) { return nil }
        if call.type(i) == .string { return try call.string(i, "audio_from") }
        if let path = try VideoSource.path(call, i) { return path }
        throw call.argumentError(i, "audio_from", expected: "a path, a Video (from open) or nil", got: call.describe(i))
    }

    static func muxOptions(_ call: LuaCall, _ i: Int32) throws -> MuxOptions {
        var o = MuxOptions()
        guard let t = try call.optionalTable(i, "options") else { return o }
        try t.checkKnown(["size", "fit", "fps", "crf", "preset", "threads", "lookahead", "progress"])
        if let size = try t.string("size"), size != "source" {
            guard let (w, h) = TimelinePrimitives.parseSize(size) else {
                throw call.error("option 'size': expected 'WxH' or 'source', got '\(size)'")
            }
            o.width = w; o.height = h
        }
        if let fit = try t.choice("fit", Fit.allCases.map(\.rawValue)) { o.fit = Fit(rawValue: fit)! }
        if t.has("fps"), (try? t.string("fps")) != "source" {
            o.fps = try TimelinePrimitives.frameRate(call, t, default: Rational(25))
        }
        if let crf = try t.number("crf") {
            guard crf >= 0, crf <= 51 else { throw call.error("option 'crf': expected a number from 0 to 51, got \(crf)") }
            o.encoder.crf = crf
        }
        if let preset = try t.choice("preset", VideoEncoderSettings.presets) { o.encoder.preset = preset }
        if let threads = try t.integer("threads") {
            guard threads >= 0, threads <= 64 else { throw call.error("option 'threads': expected 0 to 64, got \(threads)") }
            o.encoder.threads = threads
        }
        if let lookahead = try t.integer("lookahead") {
            guard lookahead >= 0, lookahead <= 250 else { throw call.error("option 'lookahead': expected 0 to 250, got \(lookahead)") }
            o.encoder.lookahead = lookahead
        }
        o.showProgress = try t.boolean("progress")
        return o
    }

    static func render(_ call: LuaCall, _ clip: any Clip, audio: String?, out: String, options: MuxOptions) throws -> Int32 {
        let r: MuxResult
        do {
            r = try Renderer.mux(clip, audioFrom: audio, to: out, options: options, check: { try Interrupt.check() })
        } catch let e as MediaError where e.operation == "mux" {
            // The house shape names the primitive the person called (`clip:save: ...`), once.
            throw LuaError("\(call.name): \(e.detail)", kind: e.kind)
        } catch let e as MediaError {
            throw LuaError("\(call.name): \(e.message)", kind: e.kind)
        }
        let t = call.newTable(fieldCount: 11)
        t.set("path", r.path)
        t.set("frames", r.frames)
        t.set("width", r.width)
        t.set("height", r.height)
        t.set("fps", r.fps.double)
        t.set("duration", r.videoSeconds)
        t.set("audio", r.audioSeconds == nil ? "none" : (r.audioCopied ? "copied" : "encoded"))
        t.set("seconds", r.elapsed)
        t.set("encode_seconds", r.encodeSeconds)
        t.set("wait_seconds", r.waitSeconds)
        return 1
    }
}

/// Where a Video argument's file is (the media layer's `Video`, when it is there).
enum VideoSource {
    static func path(_ call: LuaCall, _ i: Int32) throws -> String? {
        call.isObject(i, VideoValue.cls) ? try VideoValue.check(call, i, "video").path : nil
    }
}
