import LuaBridge
import Media

/// What Lua holds for an opened video: its probe (the file is reopened by whoever decodes it).
final class VideoBox {
    let info: MediaInfo
    init(_ info: MediaInfo) { self.info = info }
}

/// The Lua `Video` (from `open`): fields `path, duration, fps, frames, width, height, has_audio,
/// audio` (`{codec, sample_rate, channels}` or nil).
enum VideoValue {
    nonisolated(unsafe) static let cls: LuaClass<VideoBox> = {
        let cls = LuaClass<VideoBox>("Video", describe: { "Video " + $0.info.summary })
        cls.field("path") { v, call in call.push(v.info.path) }
        cls.field("duration") { v, call in call.push(v.info.duration) }
        cls.field("fps") { v, call in call.push(v.info.fps.double) }
        cls.field("frames") { v, call in call.push(v.info.frameCount) }
        cls.field("width") { v, call in call.push(v.info.width) }
        cls.field("height") { v, call in call.push(v.info.height) }
        cls.field("has_audio") { v, call in call.push(v.info.hasAudio) }
        cls.field("audio") { v, call in
            guard let codec = v.info.audioCodec else { return call.pushNil() }
            let t = call.newTable(fieldCount: 3)
            t.set("codec", codec)
            if let r = v.info.sampleRate { t.set("sample_rate", r) }
            if let c = v.info.channels { t.set("channels", c) }
            return 1
        }
        return cls
    }()

    static func install(in session: Session) { session.install(cls) }

    /// The Video at argument `i` (the result of `open`), or an error naming what was expected.
    static func check(_ call: LuaCall, _ i: Int32, _ what: String) throws -> MediaInfo {
        guard call.isObject(i, cls) else {
            throw call.argumentError(i, what, expected: "Video (from open(path))", got: call.describe(i))
        }
        return try call.object(i, what, cls).info
    }

    /// A Video or a path (probed now).
    static func checkVideoOrPath(_ call: LuaCall, _ i: Int32, _ what: String) throws -> MediaInfo {
        if call.type(i) == .string { return try MediaInfo.probe(call.string(i, what)) }
        guard call.isObject(i, cls) else {
            throw call.argumentError(i, what, expected: "Video (from open(path)) or a path", got: call.describe(i))
        }
        return try check(call, i, what)
    }

    @discardableResult
    static func push(_ info: MediaInfo, _ call: LuaCall) -> Int32 { call.push(VideoBox(info), as: cls) }
}
