import LuaBridge
import Media
import Timeline

/// A clip as Lua holds it: any `Clip` (file, still, kenburns, svd, pad, concat) behind one class.
final class ClipBox {
    let clip: any Clip
    /// Where the frames came from, for `tostring` ("kenburns", "svd seed 7 (cached)").
    let origin: String
    init(_ clip: any Clip, origin: String) {
        self.clip = clip
        self.origin = origin
    }
}

/// The Lua `Clip`: fields `width, height, fps, frames, duration`; methods from the timeline
/// (`clip:save`) and from the SVD layer (`clip:save_frames`, `clip:preview`).
enum ClipValue {
    nonisolated(unsafe) static let cls: LuaClass<ClipBox> = {
        let cls = LuaClass<ClipBox>("Clip", describe: { box in
            let c = box.clip
            return "Clip \(c.width)x\(c.height) · \(c.frameCount) frames at \(c.fps) fps · "
                + String(format: "%.2f s", c.duration) + " · \(box.origin)"
        })
        cls.field("width") { box, call in call.push(box.clip.width) }
        cls.field("height") { box, call in call.push(box.clip.height) }
        cls.field("fps") { box, call in call.push(box.clip.fps.double) }
        cls.field("frames") { box, call in call.push(box.clip.frameCount) }
        cls.field("duration") { box, call in call.push(box.clip.duration) }
        ClipMethods.add(to: cls)
        ClipExtras.add(to: cls)
        FrameRateMethods.add(to: cls)
        return cls
    }()

    static func install(in session: Session) {
        session.install(cls, docs: ClipMethods.docs + ClipExtras.docs + FrameRateMethods.docs)
    }

    /// The clip at argument `i`, or an error naming what was expected.
    static func check(_ call: LuaCall, _ i: Int32, _ what: String) throws -> any Clip {
        guard call.isObject(i, cls) else {
            throw call.argumentError(i, what, expected: "Clip (from clip, still, kenburns, svd, pad or concat)", got: call.describe(i))
        }
        return try call.object(i, what, cls).clip
    }

    /// The non-empty array of clips at argument `i` (concat's and crossfade's first argument).
    static func checkArray(_ call: LuaCall, _ i: Int32, _ what: String) throws -> [any Clip] {
        let list = try call.table(i, what)
        guard list.arrayCount > 0 else { throw call.argumentError(i, what, expected: "a non-empty array of Clips", got: "an empty table") }
        var clips: [any Clip] = []
        for k in 1...list.arrayCount {
            clips.append(try list.withElement(k) { idx in
                guard call.isObject(idx, cls) else {
                    throw call.error("argument #\(i) (\(what)): element \(k): expected Clip, got \(call.describe(idx))")
                }
                return try check(call, idx, "\(what)[\(k)]")
            })
        }
        return clips
    }

    @discardableResult
    static func push(_ clip: any Clip, origin: String, _ call: LuaCall) -> Int32 {
        call.push(ClipBox(clip, origin: origin), as: cls)
    }
}

/// Clip methods: `clip:save` is the timeline's; `save_frames` and `preview` the SVD layer's.
enum ClipMethods {
    static var docs: [PrimitiveDoc] {
        [
            PrimitiveDoc("Clip:save", "clip:save(path, {size, fit, fps, crf = 18, preset = 'medium'})",
                         "Writes the clip alone (no audio) as an H.264 MP4.",
                         options: MuxPrimitive.optionDocs, example: "kenburns(img, {seconds = 3}):save('kb.mp4')"),
        ]
    }

    static func add(to cls: LuaClass<ClipBox>) {
        cls.method("save") { box, call in
            let path = try call.string(2, "path")
            let options = try MuxPrimitive.muxOptions(call, 3)
            return try MuxPrimitive.render(call, box.clip, audio: nil, out: path, options: options)
        }
    }
}
