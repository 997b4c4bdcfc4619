import CTorchShimLoader
import Errors
import Foundation
import Media

/// A loaded SVD pipeline, resident on its device until `unload()` or deinit. One generation at
/// a time (the shim's handle is not for two threads at once).
public final class SVDModel: @unchecked Sendable {
    public struct Options: Sendable, Hashable {
        public var device = "cpu"
        public var dtype = "fp32"
        public var variant: String? = nil
        public init() {}
    }

    public let directory: String
    public let options: Options
    public let numFrames: Int
    /// The shim's name for the device once loaded ("cuda:0"); before a lazy model loads, the
    /// device asked for (the cache key only tells "cuda" from the rest, so both key alike).
    public var resolvedDevice: String { lock.withLock { device } }
    /// Content identity of the files this variant loads (see ModelIdentity).
    public let identity: String
    private let shim: TorchShim
    private var handle: OpaquePointer?
    private var device: String
    /// Lazy and not loaded yet: the weights load at the first generation (see `init(lazy:)`).
    private var pending: Bool
    private let didLoad: (() -> Void)?
    private let lock = NSLock()

    public var isLoaded: Bool { lock.withLock { handle != nil } }
    /// A lazy model whose weights have not been needed yet.
    public var isPending: Bool { lock.withLock { pending } }

    /// Loads the weights now, or with `lazy` at the first `generate`: a run whose clips all come
    /// from the cache never reads them. What the cache key needs before then comes from the
    /// folder: the frame count from unet/config.json, as the shim reads it. `didLoad` runs each
    /// time the weights are loaded.
    public init(directory: String, options: Options, identity: String, lazy: Bool = false,
                didLoad: (() -> Void)? = nil) throws {
        let shim = try TorchShim.shared()
        self.shim = shim
        self.directory = directory
        self.options = options
        self.identity = identity
        self.didLoad = didLoad
        device = options.device
        pending = lazy
        if lazy {
            numFrames = try SVDModel.configuredFrames(directory)
        } else {
            let (out, frames, resolved) = try SVDModel.loadWeights(shim, directory, options)
            handle = out
            numFrames = frames
            device = resolved
            didLoad?()
        }
    }

    /// Loads a pending model's weights now (no-op when loaded).
    public func loadNow() throws {
        lock.lock()
        defer { lock.unlock() }
        try loadIfPending()
    }

    private func loadIfPending() throws {
        guard pending else { return }
        let (out, frames, resolved) = try SVDModel.loadWeights(shim, directory, options)
        guard frames == numFrames else {
            shim.api.free_model(out)
            throw SVDError(operation: "svd.load", "'\(directory)': the shim loads \(frames) frames by default, unet/config.json says \(numFrames)", kind: .model)
        }
        handle = out
        device = resolved
        pending = false
        didLoad?()
    }

    private static func loadWeights(_ shim: TorchShim, _ directory: String, _ options: Options) throws
        -> (OpaquePointer, Int, String) {
        var p = pi_svd_load_params()
        shim.api.load_params_init(&p)
        var out: OpaquePointer?
        let status = options.device.withCString { device in
            options.dtype.withCString { dtype in
                withOptionalCString(options.variant) { variant in
                    p.device = device
                    p.dtype = dtype
                    p.variant = variant
                    return shim.api.load(directory, &p, &out)
                }
            }
        }
        guard status == PI_OK, let out else { throw SVDModel.error("svd.load", status, shim.lastError(), io: .notModelFolder) }
        var info = pi_svd_model_info()
        _ = shim.api.info(out, &info)
        return (out, Int(info.num_frames), info.device.map { String(cString: $0) } ?? options.device)
    }

    /// unet/config.json's num_frames, 25 when absent (the shim's default too).
    static func configuredFrames(_ directory: String) throws -> Int {
        let path = directory + "/unet/config.json"
        guard let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SVDError(operation: "svd.load", "cannot read '\(path)' as JSON", kind: .notModelFolder)
        }
        guard let frames = json["num_frames"] else { return 25 }
        guard let n = frames as? Int, n > 0 else {
            throw SVDError(operation: "svd.load", "'\(path)': num_frames should be a positive integer", kind: .model)
        }
        return n
    }

    deinit { unload() }

    /// Frees the weights on the device now; later use is a clear error.
    public func unload() {
        lock.withLock {
            shim.api.free_model(handle)
            handle = nil
            pending = false
        }
    }

    public var shimVersion: String { shim.version }

    /// Progress of one generation: stage ("encode", "denoise", "decode"), step, total. Return
    /// false to stop (the shim stops within one step and the model stays usable).
    public typealias ProgressHandler = (String, Int, Int) -> Bool

    /// Generates RGB8 frames from `image`. Throws `Interrupted` when `progress` says stop.
    public func generate(_ image: Image, _ params: GenerationParams, progress: ProgressHandler? = nil) throws -> [Image] {
        try params.validate()
        lock.lock()
        defer { lock.unlock() }
        try loadIfPending()
        guard let handle else {
            throw SVDError(operation: "svd", "this model was unloaded; load it again with svd.load('\(directory)')")
        }
        var p = params.c
        let box = ProgressBox(progress)
        var out: OpaquePointer?
        let status = withExtendedLifetime(box) {
            image.pixels.withUnsafeBufferPointer { pixels in
                shim.api.generate(handle, pixels.baseAddress, Int32(image.width), Int32(image.height), Int32(image.rowBytes),
                                  &p, progressTrampoline, Unmanaged.passUnretained(box).toOpaque(), &out)
            }
        }
        guard status == PI_OK, let out else {
            if status == PI_ERR_CANCELLED { throw Interrupted() }
            throw SVDModel.error("svd", status, shim.lastError())
        }
        defer { shim.api.frames_free(out) }
        let count = Int(shim.api.frames_count(out))
        let w = Int(shim.api.frames_width(out)), h = Int(shim.api.frames_height(out))
        return (0..<count).map { i in
            let rgb = shim.api.frames_rgb(out, Int32(i))!
            return Image(width: w, height: h, pixels: Array(UnsafeBufferPointer(start: rgb, count: w * h * 3)))
        }
    }

    /// The shim's message (which names no C function: the operation is `what`), with what a
    /// person can do about the statuses that have a remedy. `io` is the kind of PI_ERR_IO: at
    /// load, a file of the model folder is missing or unreadable.
    static func error(_ what: String, _ status: pi_status, _ message: String, io: ErrorKind = .model) -> SVDError {
        switch status {
        case PI_ERR_OUT_OF_MEMORY:
            return SVDError(operation: what, "out of device memory (\(message)); try a smaller decode_chunk (e.g. 4), a lower width/height or fewer frames — the model stays loaded")
        case PI_ERR_IO:
            return SVDError(operation: what, message, kind: io)
        default:
            // PI_ERR_DEVICE's messages carry their own remedy (rebuild against CUDA, or a visible device).
            return SVDError(operation: what, message)
        }
    }
}

private final class ProgressBox {
    let handler: SVDModel.ProgressHandler?
    init(_ handler: SVDModel.ProgressHandler?) { self.handler = handler }
}

private let progressTrampoline: pi_progress_fn = { user, stage, step, total in
    guard let user else { return 0 }
    let box = Unmanaged<ProgressBox>.fromOpaque(user).takeUnretainedValue()
    guard let handler = box.handler else { return 0 }
    return handler(stage.map { String(cString: $0) } ?? "", Int(step), Int(total)) ? 0 : 1
}

private func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let s else { return body(nil) }
    return s.withCString { body($0) }
}
