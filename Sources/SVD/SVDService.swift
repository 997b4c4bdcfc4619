import Foundation
import Media

/// The SVD state of one session: resident models (loading the same folder with the same options
/// again returns the one already loaded), the clip cache, and counters for `svd.stats()`.
public final class SVDService: @unchecked Sendable {
    public private(set) var cache: ClipCache
    public private(set) var loads = 0
    public private(set) var generated = 0
    public private(set) var cacheHits = 0
    /// What `svd(image)` uses without `opts.model`. Held strongly, so `svd.load(dir)` without
    /// keeping the result still works; `unload()` releases it.
    public private(set) var current: SVDModel?
    private var resident: [String: WeakModel] = [:]

    /// Where the one warning about an unwritable cache goes (stderr; tests catch it).
    public var warn: (String) -> Void = { FileHandle.standardError.write(Data(("podcast-i2v: warning: " + $0 + "\n").utf8)) }
    /// Whether this cache folder was found unwritable: generation goes on uncached, warned once.
    public private(set) var cacheUnwritable = false

    public init(cacheDirectory: URL = ClipCache.defaultDirectory) {
        cache = ClipCache(directory: cacheDirectory)
    }

    public func useCache(_ directory: URL) {
        let limit = cache.limit
        cache = ClipCache(directory: directory)
        cache.limit = limit
        cacheUnwritable = false
    }

    /// The resident model for this folder and options, else a new one. With `lazy` its weights
    /// load at the first clip the cache does not have (`loads` counts weight loads, so a run
    /// served by the cache alone reports 0); the model files' hashes are remembered in the cache
    /// folder, so that costs a stat per file, not a read.
    public func load(directory: String, options: SVDModel.Options, lazy: Bool = false) throws -> SVDModel {
        let path = ModelFolder.canonicalPath(directory)
        let key = "\(path)|\(options.device)|\(options.dtype)|\(options.variant ?? "")"
        if let model = resident[key]?.model, model.isLoaded || model.isPending {
            if !lazy { try model.loadNow() }
            current = model
            return model
        }
        _ = try TorchShim.shared()  // without a shim no folder helps: say how to build it first
        let folder = try ModelFolder(directory)
        // Every missing weight file named at once, the size about to be read, and what is never read.
        let weights = ModelWeights(folder, variant: options.variant)
        guard weights.missing.isEmpty else {
            throw SVDError(operation: "svd.load", "'\(directory)' is not a complete SVD model folder: missing "
                + weights.missing.joined(separator: ", ") + " (README: Getting the model)", kind: .notModelFolder)
        }
        FileHandle.standardError.write(Data((weights.summary(directory: directory, variant: options.variant) + "\n").utf8))
        if let note = weights.unusedNote(variant: options.variant) { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        let progress = Media.Progress("svd.load: hashing model files", total: nil, unit: "files")
        let identity = try ModelIdentity.of(folder, variant: options.variant,
                                            memo: cache.modelHashesDirectory, progress: progress)
        progress.finish()
        let model = try SVDModel(directory: folder.path, options: options, identity: identity, lazy: lazy) { [weak self] in
            self?.loads += 1
        }
        resident[key] = WeakModel(model)
        current = model
        return model
    }

    public func unload(_ model: SVDModel) {
        model.unload()
        if current === model { current = nil }
    }

    /// A clip for `image`: from the cache when the same model, still and parameters made one
    /// before, else generated (progress per step; Ctrl-C stops within a step) and cached.
    public func generate(_ model: SVDModel, _ image: Image, _ params: GenerationParams, label: String = "svd",
                         shouldStop: @escaping () -> Bool) throws -> (frames: FrameSequence, cached: Bool) {
        var params = params
        if params.frames == 0 { params.frames = model.numFrames }
        try params.validate()
        let key = ClipCache.key(model: model, image: image, params: params)
        if let clip = cache.clip(for: key) {
            cacheHits += 1
            return (clip, true)
        }
        var bar: Media.Progress?
        defer { bar?.finish() }  // an interrupted or failed generation clears its line too
        let frames = try model.generate(image, params) { stage, step, total in
            if shouldStop() { return false }
            if stage == "denoise" {
                if bar == nil { bar = Media.Progress("\(label) · denoise", total: total, unit: "steps") }
                bar?.update(step)
            } else if stage == "decode" {
                bar?.finish()
                bar = nil
            }
            return true
        }
        generated += 1
        if !cacheUnwritable {
            do {
                return (try cache.store(frames, fps: Rational(params.fps), key: key), false)
            } catch let error as SVDError where error.kind == .cache {
                // A read-only, missing or full cache folder must not cost the clip: keep it in
                // memory, say so once, and stop trying this folder for the session.
                cacheUnwritable = true
                warn("\(error.detail); clips are not cached (cache.dir(path) picks another folder)")
            }
        }
        let fps = Rational(params.fps)
        guard let first = frames.first else { throw SVDError(operation: "svd", "the model returned no frames", kind: .model) }
        return (FrameSequence(width: first.width, height: first.height, fps: fps, count: frames.count) { frames[$0] }, false)
    }
}

private final class WeakModel {
    weak var model: SVDModel?
    init(_ model: SVDModel) { self.model = model }
}
