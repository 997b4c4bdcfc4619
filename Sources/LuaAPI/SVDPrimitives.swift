import Foundation
import LuaBridge
import Media
import SVD
import Timeline

/// svd.load, svd.generate (also `svd(image, opts)`), Model:generate/unload, svd.stats and the
/// clip cache's cache.info/clear/dir (issue #8). One SVDService per session keeps the models
/// resident between chunks, so re-rolling one scene never reloads anything.
enum SVDPrimitives {
    static let generationOptions = ["seed", "frames", "steps", "fps", "motion", "noise_aug", "min_guidance",
                                    "max_guidance", "width", "height", "decode_chunk"]
    static let loadOptions = ["device", "dtype", "variant", "lazy"]

    static func register(in session: Session) {
        let service = SVDService(cacheDirectory: cacheDirectoryFromEnvironment())
        services.set(service, for: session.lua)
        let modelClass = makeModelClass(service)
        session.install(modelClass, docs: modelDocs)

        session.register(PrimitiveDoc(
            "svd.load", "svd.load(dir, {device=, dtype=, variant=, lazy=false}) -> Model",
            "Loads a Stable Video Diffusion folder (Hugging Face layout) once; it stays resident until model:unload().",
            options: [("device", "'cpu' (default), 'cuda' or 'cuda:N'"),
                      ("dtype", "'fp32' (default), 'fp16' or 'bf16'"),
                      ("variant", "weights variant, e.g. 'fp16' for *.fp16.safetensors"),
                      ("lazy", "true: the weights load at the first clip the cache does not have (m.loaded says when); a run served by the cache never loads them")],
            example: "m = svd.load('models/svd-xt', {device = 'cuda', dtype = 'fp16'})\nm = svd.load('models/svd-xt', {lazy = true})"), in: "svd", as: "load") { call in
            let dir = try call.string(1, "dir")
            var options = SVDModel.Options()
            var lazy = false
            if let t = try call.optionalTable(2, "options") {
                lazy = try t.boolean("lazy") ?? false
                try t.checkKnown(loadOptions)
                if let device = try t.string("device") {
                    guard device == "cpu" || device == "cuda" || device.hasPrefix("cuda:") else {
                        throw call.error("option 'device': expected 'cpu', 'cuda' or 'cuda:N', got '\(device)'")
                    }
                    options.device = device
                }
                if let dtype = try t.choice("dtype", ["fp32", "fp16", "bf16"]) { options.dtype = dtype }
                options.variant = try t.string("variant")
            }
            // The service decides which model is resident; one userdata per model keeps `==` true
            // between two loads of the same folder.
            return call.pushShared(try service.load(directory: dir, options: options, lazy: lazy), as: modelClass)
        }

        session.register(PrimitiveDoc(
            "svd.generate", "svd.generate(image, {seed=, steps=, ...}) -> Clip, cached",
            "Animates a still with opts.model or the most recently loaded model; also callable as svd(image, opts).",
            options: generationDocs + [("model", "the Model to use (default: the last svd.load)"),
                                       ("label", "what the progress line says, e.g. 'scene 3/12'")],
            example: "c = svd(scenes[3].image, {seed = 12, motion = 80})\nc:preview()"), in: "svd", as: "generate") { call in
            let image = try ImageValue.check(call, 1, "image")
            let t = try call.optionalTable(2, "options")
            try t?.checkKnown(generationOptions + ["model", "label"])
            var model = service.current
            if let t, t.has("model") {
                model = try t.withField("model") { i in
                    guard call.isObject(i, modelClass) else {
                        throw call.error("option 'model': expected Model (from svd.load), got \(call.describe(i))")
                    }
                    return try call.object(i, "model", modelClass)
                }
            }
            guard let model else {
                throw call.error("no model loaded: call svd.load(dir) first, or pass {model = m}")
            }
            return try generate(call, service, model, image, t)
        }

        session.register(PrimitiveDoc(
            "svd.stats", "svd.stats() -> {loads, generated, cache_hits}",
            "What SVD did in this session: model weights loaded, clips generated, clips taken from the cache.")
            , in: "svd", as: "stats") { call in
            let t = call.newTable(fieldCount: 3)
            t.set("loads", service.loads)
            t.set("generated", service.generated)
            t.set("cache_hits", service.cacheHits)
            return 1
        }

        session.register(PrimitiveDoc(
            "cache.info", "cache.info() -> {dir, entries, bytes}",
            "The clip cache: where it is, how many clips it holds and their size."), in: "cache", as: "info") { call in
            let info = service.cache.info()
            let t = call.newTable(fieldCount: 3)
            t.set("dir", info.directory)
            t.set("entries", info.entries)
            t.set("bytes", Int(info.bytes))
            return 1
        }
        session.register(PrimitiveDoc(
            "cache.clear", "cache.clear() -> removed",
            "Deletes the cached clips (nothing else in the folder); returns how many."), in: "cache", as: "clear") { call in
            call.push(service.cache.clear())
        }
        session.register(PrimitiveDoc(
            "cache.dir", "cache.dir([path]) -> path",
            "The clip cache's folder; with a path, uses that folder from now on (like --cache DIR).",
            example: "cache.dir('/data/clip-cache')"), in: "cache", as: "dir") { call in
            if let path = try call.optionalString(1, "path") {
                guard !path.isEmpty else { throw call.argumentError(1, "path", expected: "a folder path", got: "''") }
                service.useCache(URL(fileURLWithPath: path).standardizedFileURL)
            }
            return call.push(service.cache.directory.path)
        }

        session.register(PrimitiveDoc(
            "cache.limit", "cache.limit([bytes | false]) -> limit, removed",
            "Caps the clip cache at `bytes` for this session: after each new clip, the clips used longest ago "
                + "(stored or last read) are deleted until the cache fits; the newest stays even if it alone is larger. "
                + "Setting a cap applies it at once; false removes it; no argument only reads it. Returns the cap "
                + "(nil: none) and how many clips were deleted. Safe with other processes sharing the folder.",
            example: "cache.limit(20e9)  -- at most 20 GB of clips"), in: "cache", as: "limit") { call in
            var removed = 0
            if call.type(1) == .boolean, try !call.boolean(1, "bytes") {
                service.cache.limit = nil
            } else if !call.isNil(1) {
                let v = call.type(1) == .number ? try call.number(1, "bytes") : .nan
                guard v.isFinite, v >= 1, v <= 9e18, v.rounded() == v else {
                    throw call.argumentError(1, "bytes", expected: "a whole number of bytes >= 1 (or false: no limit)")
                }
                service.cache.limit = Int64(v)
                removed = service.cache.evict(toFit: Int64(v))
            }
            if let limit = service.cache.limit { call.push(Int(limit)) } else { call.pushNil() }
            call.push(removed)
            return 2
        }

        // `svd(image, opts)` is svd.generate: a callable table keeps svd.load & co. beside it.
        // svd.options names the generation options, so recipes can check a tune file up front.
        let names = generationOptions.map { "'\($0)'" }.joined(separator: ", ")
        if case .runtimeError(let m) = session.lua.run("""
            setmetatable(svd, {__call = function(_, ...) return svd.generate(...) end})
            svd.options = {\(names)}
            """, chunkName: "=svd") {
            fatalError("svd: \(m)")
        }
        session.lua.top = 0
    }

    static let generationDocs: [(String, String)] = [
        ("seed", "random seed (default 0); change it to re-roll one scene"),
        ("frames", "frames to generate (default: the model's, 14 or 25)"),
        ("steps", "denoising steps (default 25)"),
        ("fps", "the fps the model is conditioned on and the clip's rate (default 7)"),
        ("motion", "motion bucket id, 0-1023: more is more motion (default 127)"),
        ("noise_aug", "noise added to the still (default 0.02)"),
        ("min_guidance", "guidance at the first frame (default 1.0)"),
        ("max_guidance", "guidance at the last frame (default 3.0)"),
        ("width", "output width, a multiple of 8 (default 1024; 576 for portrait stills)"),
        ("height", "output height, a multiple of 8 (default 576; 1024 for portrait stills)"),
        ("decode_chunk", "frames the VAE decodes at once (default all; lower it when memory runs out)"),
    ]

    static let modelDocs: [PrimitiveDoc] = [
        PrimitiveDoc("Model:generate", "model:generate(image, {seed=, steps=, ...}) -> Clip, cached",
                     "Animates a still with this model; a clip made before with the same inputs comes from the cache.",
                     options: generationDocs + [("label", "what the progress line says")],
                     example: "c = m:generate(img, {seed = 7})"),
        PrimitiveDoc("Model:unload", "model:unload()", "Frees the model's memory (GPU included); svd.load loads it again."),
    ]

    private static func makeModelClass(_ service: SVDService) -> LuaClass<SVDModel> {
        let cls = LuaClass<SVDModel>("Model", describe: { m in
            let name = URL(fileURLWithPath: m.directory).lastPathComponent
            return "Model \(name) · \(m.resolvedDevice) \(m.options.dtype) · \(m.numFrames) frames"
                + (m.isLoaded ? "" : m.isPending ? " · loads at the first clip not cached" : " · unloaded")
        })
        cls.field("dir") { m, call in call.push(m.directory) }
        cls.field("device") { m, call in call.push(m.resolvedDevice) }
        cls.field("dtype") { m, call in call.push(m.options.dtype) }
        cls.field("frames") { m, call in call.push(m.numFrames) }
        cls.field("loaded") { m, call in call.push(m.isLoaded) }
        cls.method("generate") { model, call in
            let image = try ImageValue.check(call, 2, "image")
            let t = try call.optionalTable(3, "options")
            try t?.checkKnown(generationOptions + ["label"])
            return try generate(call, service, model, image, t)
        }
        cls.method("unload") { model, call in
            service.unload(model)
            return 0
        }
        return cls
    }

    /// Reads the options, generates (or takes from the cache) and pushes the Clip and whether it
    /// was cached.
    private static func generate(_ call: LuaCall, _ service: SVDService, _ model: SVDModel, _ image: Image,
                                 _ t: LuaTable?) throws -> Int32 {
        var p = GenerationParams()
        if image.height > image.width {
            // A portrait still gets a portrait clip unless the caller says otherwise.
            p.width = 576
            p.height = 1024
        }
        var label = "svd"
        if let t {
            if let v = try t.integer("seed") {
                guard v >= 0 else { throw call.error("option 'seed': expected an integer >= 0, got \(v)") }
                p.seed = UInt64(v)
            }
            if let v = try t.integer("frames") { p.frames = v }
            if let v = try t.integer("steps") { p.steps = v }
            if let v = try t.integer("fps") { p.fps = v }
            if let v = try t.integer("motion") { p.motion = v }
            if let v = try t.number("noise_aug") { p.noiseAug = Float(v) }
            if let v = try t.number("min_guidance") { p.minGuidance = Float(v) }
            if let v = try t.number("max_guidance") { p.maxGuidance = Float(v) }
            if let v = try t.integer("width") { p.width = v }
            if let v = try t.integer("height") { p.height = v }
            if let v = try t.integer("decode_chunk") { p.decodeChunk = v }
            if let v = try t.string("label") { label = v }
        }
        let result = try service.generate(model, image, p, label: label, shouldStop: { Interrupt.requested })
        let origin = "svd seed \(p.seed)" + (result.cached ? " (cached)" : "")
        ClipValue.push(FunctionClip(result.frames), origin: origin, call)
        call.push(result.cached)
        return 2
    }

    /// The session's clip cache (what cache.dir says), for the clip methods that cache their
    /// results (`at_fps`, motion commands): clip methods belong to a class shared by sessions.
    static func cache(for state: LuaState) -> ClipCache {
        services.get(state)?.cache ?? ClipCache(directory: cacheDirectoryFromEnvironment())
    }

    private static let services = SessionServices()

    /// `--cache DIR` reaches the session through PODCAST_I2V_CACHE.
    static func cacheDirectoryFromEnvironment() -> URL {
        if let dir = ProcessInfo.processInfo.environment["PODCAST_I2V_CACHE"], !dir.isEmpty {
            return URL(fileURLWithPath: dir).standardizedFileURL
        }
        return ClipCache.defaultDirectory
    }
}

/// Each Lua state's SVDService, held weakly (the state's closures own it).
private final class SessionServices: @unchecked Sendable {
    private final class Weak { weak var service: SVDService?; init(_ s: SVDService) { service = s } }
    private let lock = NSLock()
    private var map: [ObjectIdentifier: Weak] = [:]
    func set(_ service: SVDService, for state: LuaState) {
        lock.withLock {
            map = map.filter { $0.value.service != nil }
            map[ObjectIdentifier(state)] = Weak(service)
        }
    }
    func get(_ state: LuaState) -> SVDService? { lock.withLock { map[ObjectIdentifier(state)]?.service } }
}
