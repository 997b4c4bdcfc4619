import LuaBridge
import Media
import Scenes

/// `detect(video_or_path, opts)`: the scenes as Lua tables
/// `{index, start, stop, duration, start_frame, stop_frame, image}`.
enum SceneDetectPrimitive {
    static func register(in session: Session) {
        session.register(PrimitiveDoc(
            "detect", "detect(video_or_path, {threshold=30, min_scene_len=15, weights={1,1,1}, luma_only=false}) -> scenes",
            "Finds the cuts as PySceneDetect 0.7's ContentDetector does (same frames) and one still per scene (its middle frame).",
            options: [("threshold", "score at or above which a frame starts a new scene (default 30)"),
                      ("min_scene_len", "frames between cuts, PySceneDetect's flash filter (default 15)"),
                      ("weights", "{hue, saturation, luma} weights of the score (default {1, 1, 1})"),
                      ("luma_only", "score on brightness only (overrides weights)")],
            example: "local scenes = detect(open(\"001.mp4\"), {threshold = 30})\nprint(#scenes, scenes[1].duration)")) { call in
            // Every argument is checked before the file is opened: a typo fails at once.
            guard call.type(1) == .string || call.isObject(1, VideoValue.cls) else {
                throw call.argumentError(1, "video", expected: "Video (from open(path)) or a path", got: call.describe(1))
            }
            let options = try checkOptions(call, 2)
            let info = try VideoValue.checkVideoOrPath(call, 1, "video")
            let progress = Progress("detect", total: info.frameCount > 0 ? info.frameCount : nil)
            let result = try SceneDetector.detect(path: info.path, options: options, progress: progress, check: { try Interrupt.check() })
            return pushScenes(result.scenes, call)
        }
    }

    /// The options table of `detect` (argument `i`), checked.
    static func checkOptions(_ call: LuaCall, _ i: Int32) throws -> DetectOptions {
        var options = DetectOptions()
        if let t = try call.optionalTable(i, "options") {
            try t.checkKnown(["threshold", "min_scene_len", "weights", "luma_only"])
            if let v = try t.number("threshold") {
                guard v.isFinite, v >= 0 else { throw call.error("option 'threshold': expected a number >= 0, got \(v)") }
                options.threshold = v
            }
            if let v = try t.integer("min_scene_len") {
                guard v >= 0 else { throw call.error("option 'min_scene_len': expected an integer >= 0, got \(v)") }
                options.minSceneLength = v
            }
            if t.has("weights") {
                let w: [Double] = try t.withField("weights") { i in
                    guard call.type(i) == .table else { throw call.error("option 'weights': expected a table of 3 numbers, got \(call.describe(i))") }
                    let wt = try call.table(i, "weights")
                    guard wt.arrayCount == 3 else { throw call.error("option 'weights': expected a table of 3 numbers {hue, saturation, luma}") }
                    return try (1...3).map { k in
                        try wt.withElement(k) { e in
                            guard call.type(e) == .number else { throw call.error("option 'weights': expected numbers, got \(call.describe(e))") }
                            return try call.number(e, "weights")
                        }
                    }
                }
                guard w.contains(where: { $0 != 0 }) else { throw call.error("option 'weights': at least one weight must not be 0") }
                options.weights = ContentWeights(hue: w[0], saturation: w[1], luma: w[2])
            }
            if try t.boolean("luma_only") == true { options.weights = .lumaOnly }
        }
        return options
    }

    static func pushScenes(_ scenes: [Scene], _ call: LuaCall) -> Int32 {
        let list = call.newTable(arrayCount: scenes.count)
        for (k, s) in scenes.enumerated() {
            let t = call.newTable(fieldCount: 7)
            t.set("index", s.index)
            t.set("start", s.start)
            t.set("stop", s.stop)
            t.set("duration", s.duration)
            t.set("start_frame", s.startFrame)
            t.set("stop_frame", s.stopFrame)
            if let image = s.image { t.set("image", image, as: ImageValue.cls) }
            list.setTop(k + 1)
        }
        return 1
    }
}
