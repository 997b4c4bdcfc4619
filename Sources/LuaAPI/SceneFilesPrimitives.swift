import LuaBridge
import Media
import Scenes

/// `export`, `import`.
enum SceneFilesPrimitives {
    static func register(in session: Session) {
        session.register(PrimitiveDoc(
            "export", "export(scenes, dir)",
            "Writes image_001.png, ... and timestamps.csv (index,image,start,end,duration,start_frame,end_frame).",
            example: "export(detect(\"001.mp4\"), \"1_extracted_images\")")) { call in
            let scenes = try checkScenes(call, 1)
            let dir = try call.string(2, "dir")
            try SceneFiles.export(scenes, to: dir)
            return 0
        }
        session.register(PrimitiveDoc(
            "import", "import(dir) -> scenes",
            "Reads a folder written by export (or the original pipeline) back into scenes.",
            example: "local scenes = import(\"1_extracted_images\")")) { call in
            let dir = try call.string(1, "dir")
            return SceneDetectPrimitive.pushScenes(try SceneFiles.import(from: dir), call)
        }
    }

    /// An array of scene tables (from detect or import).
    static func checkScenes(_ call: LuaCall, _ i: Int32) throws -> [Scene] {
        let list = try call.table(i, "scenes")
        var scenes: [Scene] = []
        for k in 1...max(1, list.arrayCount) where list.arrayCount > 0 {
            let scene: Scene = try list.withElement(k) { e in
                guard call.type(e) == .table else { throw call.argumentError(i, "scenes", expected: "an array of scenes (from detect or import)", got: "\(call.typeName(e)) at [\(k)]") }
                let t = try call.table(e, "scenes[\(k)]")
                guard let start = try t.number("start"), let stop = try t.number("stop") else {
                    throw call.error("argument #\(i) (scenes): scene [\(k)] has no start/stop; expected scenes from detect or import")
                }
                let image: Image? = try t.withField("image") { f in call.isNil(f) ? nil : try ImageValue.check(call, f, "scenes[\(k)].image", load: false) }
                let picture: Image? = try t.withField("picture") { f in call.isNil(f) ? nil : try ImageValue.check(call, f, "scenes[\(k)].picture", load: false) }
                let layout: SceneLayout? = try image.flatMap { img in
                    try t.withField("layout") { f in
                        call.type(f) == .table ? try SceneDetectPrimitive.checkLayout(call, f, "scenes[\(k)].layout", width: img.width, height: img.height) : nil
                    }
                }
                return Scene(index: try t.integer("index") ?? k, startFrame: try t.integer("start_frame") ?? 0,
                             stopFrame: try t.integer("stop_frame") ?? 0, start: start, stop: stop, image: image,
                             layout: layout, picture: picture)
            }
            scenes.append(scene)
        }
        return scenes
    }
}
