import LuaBridge
import Media
import Timeline

/// `compose(clip, scene, opts)`: the animated picture put back into the scene's own frame.
enum ComposePrimitive {
    static func register(in session: Session) {
        session.register(PrimitiveDoc(
            "compose", "compose(clip, scene, {source = video_or_path, overlays = 'keep', layout = 'auto'}) -> Clip",
            "The scene's source frames with the animated clip in the picture's rectangle only: bars and fill "
                + "stay as the source has them, captions and logos stay unmoved and change at their own frames.",
            options: [
                ("source", "the scene's video (a Video from open, or a path); every compose of one source shares one decoder"),
                ("overlays", "'keep' (the source's captions over the moving picture, default) or 'drop' (none)"),
                ("layout", "'auto' (the scene's layout from detect, default), 'full' (the clip as is: the whole frame "
                    + "animated), or {x=, y=, w=, h=}: the picture's rectangle in source pixels"),
            ],
            example: "local c = compose(pad(kenburns(s.picture, {seconds = s.duration}), s.duration), s, {source = v})")) { call in
            let clip = try ClipValue.check(call, 1, "clip")
            guard call.type(2) == .table else {
                throw call.argumentError(2, "scene", expected: "a scene table from detect", got: call.describe(2))
            }
            let scene = try call.table(2, "scene")
            let opts = try call.optionalTable(3, "options")
            try opts?.checkKnown(["source", "overlays", "layout"])
            let overlays = try opts?.choice("overlays", ComposedClip.Overlays.allCases.map(\.rawValue))
                .flatMap(ComposedClip.Overlays.init) ?? .keep

            // What the picture is: from the scene, given by hand, or the whole frame (today's output).
            enum Choice { case auto, full, rect(PixelRect) }
            var choice = Choice.auto
            if let opts, opts.has("layout") {
                choice = try opts.withField("layout") { i in
                    if call.type(i) == .string, let s = try opts.string("layout") {
                        switch s {
                        case "auto": return .auto
                        case "full": return .full
                        default: break
                        }
                    } else if call.type(i) == .table, let r = try rect(call, i) {
                        return .rect(r)
                    }
                    throw call.error("option 'layout': expected 'auto', 'full' or {x=, y=, w=, h=} (w, h > 0), got \(call.describe(i))")
                }
            }
            let sceneLayout = try scene.withField("layout") { i in call.type(i) == .nil ? nil : try layout(call, i) }
            var cleanWasDeferred = false
            let clean = try scene.withField("clean") { i -> Image? in
                guard call.type(i) != .nil else { return nil }
                guard call.isObject(i, ImageValue.cls) else {
                    throw sceneError(call, "field 'clean' is \(call.describe(i)), not an Image")
                }
                let image = try call.object(i, "clean", ImageValue.cls)
                cleanWasDeferred = image.isDeferred
                try image.load()
                return image
            }
            // The composed clip keeps the clean frame's overlay regions only: the scene's clean
            // still goes back to its compressed packets (a whole frame per scene adds up).
            defer { if cleanWasDeferred { clean?.unload() } }
            if case .full = choice { return call.pushArgument(1) }
            if case .auto = choice, sceneLayout == nil || clean == nil {
                // No layout analysis for this scene: today's output, the very clip.
                return call.pushArgument(1)
            }

            guard let startFrame = try? scene.integer("start_frame"), let stopFrame = try? scene.integer("stop_frame"),
                  let seconds = try? scene.number("duration"), startFrame >= 0, stopFrame > startFrame, seconds > 0 else {
                throw sceneError(call, "start_frame, stop_frame and duration missing or not numbers")
            }
            let info: MediaInfo = try {
                guard let opts, opts.has("source") else { throw call.error("option 'source': required (the scene's video: a Video or a path)") }
                return try opts.withField("source") { i in
                    if call.type(i) == .string {
                        do { return try MediaInfo.probe(try call.string(i, "source")) } catch let e as MediaError { throw call.error(e.message) }
                    }
                    guard call.isObject(i, VideoValue.cls) else {
                        throw call.error("option 'source': expected a Video (from open) or a path, got \(call.describe(i))")
                    }
                    return try VideoValue.check(call, i, "source")
                }
            }()

            let full = SceneLayout.full(width: info.width, height: info.height)
            var l = sceneLayout.map { l -> SceneLayout in
                var l = l
                l.frameWidth = info.width; l.frameHeight = info.height
                return l
            } ?? full
            if case .rect(let r) = choice {
                l.picture = r
                l.background = r == full.picture ? .none : .bars
            }
            guard l.picture.x >= 0, l.picture.y >= 0, l.picture.maxX <= info.width, l.picture.maxY <= info.height else {
                throw call.error("the picture \(l.picture) is not inside the \(info.width)x\(info.height) source")
            }
            var cleanImage = clean
            if let c = clean, c.width != info.width || c.height != info.height {
                guard sceneLayout != nil else { throw sceneError(call, "clean is \(c.width)x\(c.height), the source \(info.width)x\(info.height)") }
                cleanImage = c.resized(width: info.width, height: info.height)
            }
            if cleanImage == nil { l.overlays = []; l.statics = [] }
            if l.picture == full.picture && l.statics.isEmpty && (l.overlays.isEmpty || overlays == .drop) {
                // The picture is the whole frame with nothing to keep over it: the clip is the frame,
                // and no second decode of the source is needed.
                return call.pushArgument(1)
            }
            let composed = ComposedClip(motion: clip, source: SourceFrames.shared(info), startFrame: startFrame,
                                        sceneFrames: stopFrame - startFrame, seconds: seconds, layout: l,
                                        clean: cleanImage, overlays: overlays)
            return ClipValue.push(composed, origin: "composed: picture \(l.picture), \(l.overlays.count) overlays \(overlays.rawValue)", call)
        }
    }

    static func sceneError(_ call: LuaCall, _ detail: String) -> LuaError {
        call.error("argument #2 (scene): expected a scene table from detect (\(detail))")
    }

    /// `{x=, y=, w=, h=}` at stack index `i`, nil when it is not one.
    static func rect(_ call: LuaCall, _ i: Int32) throws -> PixelRect? {
        guard call.type(i) == .table else { return nil }
        let t = try call.table(i, "rect")
        guard let x = try? t.integer("x"), let y = try? t.integer("y"), let w = try? t.integer("w"), let h = try? t.integer("h"),
              w > 0, h > 0 else { return nil }
        return PixelRect(x: x, y: y, width: w, height: h)
    }

    /// A scene's `layout` table (as detect makes it) at stack index `i`. The frame size is the
    /// source's (the caller sets it).
    static func layout(_ call: LuaCall, _ i: Int32) throws -> SceneLayout {
        guard call.type(i) == .table else { throw sceneError(call, "field 'layout' is \(call.describe(i)), not a table") }
        let t = try call.table(i, "layout")
        guard let picture = try t.withField("picture", { try rect(call, $0) }) else {
            throw sceneError(call, "layout.picture is not {x=, y=, w=, h=}")
        }
        let background = try? t.string("background")
        var l = SceneLayout(frameWidth: picture.maxX, frameHeight: picture.maxY, picture: picture,
                            background: background.flatMap(SceneLayout.Background.init) ?? .none)
        l.overlays = try list(call, t, "overlays") { e, n in
            guard let r = try rect(call, e) else { throw sceneError(call, "layout.overlays[\(n)] is not {x=, y=, w=, h=, changes=}") }
            let inner = try call.table(e, "overlay")
            let changes: [Int] = try inner.withField("changes") { c in
                guard call.type(c) == .table else { return [] }
                let ct = try call.table(c, "changes")
                guard ct.arrayCount > 0 else { return [] }
                return (1...ct.arrayCount).compactMap { k in ct.withElement(k) { v in call.type(v) == .number ? (try? call.integer(v, "change")) : nil } }
            }
            return SceneLayout.Overlay(region: r, changes: changes)
        }
        l.statics = try list(call, t, "statics") { e, n in
            guard let r = try rect(call, e) else { throw sceneError(call, "layout.statics[\(n)] is not {x=, y=, w=, h=}") }
            return r
        }
        return l
    }

    static func list<T>(_ call: LuaCall, _ t: LuaTable, _ key: String, _ element: (Int32, Int) throws -> T) throws -> [T] {
        try t.withField(key) { i in
            guard call.type(i) == .table else { return [] }
            let a = try call.table(i, key)
            guard a.arrayCount > 0 else { return [] }
            return try (1...a.arrayCount).map { n in try a.withElement(n) { try element($0, n) } }
        }
    }
}
