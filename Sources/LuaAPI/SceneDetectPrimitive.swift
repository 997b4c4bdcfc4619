import LuaBridge
import Media
import Scenes

/// `detect(video_or_path, opts)`: the scenes as Lua tables
/// `{index, start, stop, duration, start_frame, stop_frame, image, picture, clean, layout}`.
enum SceneDetectPrimitive {
    static func register(in session: Session) {
        session.register(PrimitiveDoc(
            "detect", "detect(video_or_path, {threshold=30, min_scene_len=15, weights={1,1,1}, luma_only=false, layout=true}) -> scenes",
            "Finds the cuts as PySceneDetect 0.7's ContentDetector does (same frames) and one still per scene (its middle frame). "
                + "In the same pass it finds each scene's layout: scene.layout = {picture = {x=,y=,w=,h=}, background = \"none\"|\"bars\"|\"fill\", "
                + "overlays = {{x=,y=,w=,h=, changes = {frame, ...}}, ...}, statics = {{x=,y=,w=,h=}, ...}} in source pixels: the picture's rectangle "
                + "inside black/solid bars or a blurred fill, the regions that change during the scene (captions, banners; changes: the source "
                + "frames where their content changes) and those the same in most scenes (a logo). scene.picture is the still cut to the "
                + "picture without what lies over it (a caption's region taken from a frame of the scene where it is absent, else filled "
                + "in from around it, as a logo's is): what to animate; scene.clean is the whole frame so cleaned "
                + "(compose tells the source's overlay pixels from the picture by it).",
            options: [("threshold", "score at or above which a frame starts a new scene (default 30)"),
                      ("min_scene_len", "frames between cuts, PySceneDetect's flash filter (default 15)"),
                      ("weights", "{hue, saturation, luma} weights of the score (default {1, 1, 1})"),
                      ("luma_only", "score on brightness only (overrides weights)"),
                      ("layout", "find each scene's layout (default true); false: the whole frame is the picture, no overlays")],
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
            try t.checkKnown(["threshold", "min_scene_len", "weights", "luma_only", "layout"])
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
            if let v = try t.boolean("layout") { options.layout = v }
        }
        return options
    }

    static func pushScenes(_ scenes: [Scene], _ call: LuaCall) -> Int32 {
        let list = call.newTable(arrayCount: scenes.count)
        for (k, s) in scenes.enumerated() {
            let t = call.newTable(fieldCount: 9)
            t.set("index", s.index)
            t.set("start", s.start)
            t.set("stop", s.stop)
            t.set("duration", s.duration)
            t.set("start_frame", s.startFrame)
            t.set("stop_frame", s.stopFrame)
            if let image = s.image { t.set("image", image, as: ImageValue.cls) }
            if let picture = s.picture { t.set("picture", picture, as: ImageValue.cls) }
            if let clean = s.clean { t.set("clean", clean, as: ImageValue.cls) }
            if let layout = s.layout {
                pushLayout(layout, call)
                t.setTop("layout")
            }
            list.setTop(k + 1)
        }
        return 1
    }

    /// `{picture = {x, y, w, h}, background, overlays = {{x, y, w, h, changes}, ...}, statics = {...}}`.
    static func pushLayout(_ layout: SceneLayout, _ call: LuaCall) {
        func pushRect(_ r: PixelRect, extra: Int = 0) -> LuaTableBuilder {
            let t = call.newTable(fieldCount: 4 + extra)
            t.set("x", r.x); t.set("y", r.y); t.set("w", r.width); t.set("h", r.height)
            return t
        }
        let t = call.newTable(fieldCount: 4)
        _ = pushRect(layout.picture)
        t.setTop("picture")
        t.set("background", layout.background.rawValue)
        let overlays = call.newTable(arrayCount: layout.overlays.count)
        for (k, o) in layout.overlays.enumerated() {
            let ot = pushRect(o.region, extra: 1)
            let changes = call.newTable(arrayCount: o.changes.count)
            for (j, f) in o.changes.enumerated() {
                call.push(f)
                changes.setTop(j + 1)
            }
            ot.setTop("changes")
            overlays.setTop(k + 1)
        }
        t.setTop("overlays")
        let statics = call.newTable(arrayCount: layout.statics.count)
        for (k, r) in layout.statics.enumerated() {
            _ = pushRect(r)
            statics.setTop(k + 1)
        }
        t.setTop("statics")
    }

    /// A layout table as `pushLayout` makes it (argument `i`), for a `width`x`height` frame.
    static func checkLayout(_ call: LuaCall, _ i: Int32, _ what: String, width: Int, height: Int) throws -> SceneLayout {
        let t = try call.table(i, what)
        func rect(_ r: LuaTable, _ name: String) throws -> PixelRect {
            guard let x = try r.integer("x"), let y = try r.integer("y"), let w = try r.integer("w"), let h = try r.integer("h") else {
                throw call.error("\(name): expected {x=, y=, w=, h=}")
            }
            return PixelRect(x: x, y: y, width: w, height: h)
        }
        func rects(_ key: String, _ body: (LuaTable, String) throws -> Void) throws {
            guard t.has(key) else { return }
            try t.withField(key) { f in
                let list = try call.table(f, "\(what).\(key)")
                for k in 0..<list.arrayCount {
                    try list.withElement(k + 1) { e in try body(try call.table(e, "\(what).\(key)[\(k + 1)]"), "\(what).\(key)[\(k + 1)]") }
                }
            }
        }
        var layout = SceneLayout.full(width: width, height: height)
        if t.has("picture") { layout.picture = try t.withField("picture") { f in try rect(try call.table(f, "\(what).picture"), "\(what).picture") } }
        if let b = try t.choice("background", ["none", "bars", "fill"]) { layout.background = SceneLayout.Background(rawValue: b)! }
        try rects("overlays") { r, name in
            var changes: [Int] = []
            if r.has("changes") {
                try r.withField("changes") { f in
                    let c = try call.table(f, "\(name).changes")
                    for j in 0..<c.arrayCount { changes.append(try c.withElement(j + 1) { e in Int(try call.number(e, "\(name).changes")) }) }
                }
            }
            layout.overlays.append(SceneLayout.Overlay(region: try rect(r, name), changes: changes))
        }
        try rects("statics") { r, name in layout.statics.append(try rect(r, name)) }
        return layout
    }
}
