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
    public let resolvedDevice: String
    /// Content identity of the files this variant loads (see ModelIdentity).
    public let identity: String
    private let shim: TorchShim
    private var handle: OpaquePointer?
    private let lock = NSLock()

    public var isLoaded: Bool { lock.withLock { handle != nil } }

    public init(directory: String, options: Options, identity: String) throws {
        let shim = try TorchShim.shared()
        self.shim = shim
        self.directory = directory
        self.options = options
        self.identity = identity
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
        handle = out
        var info = pi_svd_model_info()
        _ = shim.api.info(out, &info)
        numFrames = Int(info.num_frames)
        resolvedDevice = info.device.map { String(cString: $0) } ?? options.device
    }

    deinit { unload() }

    /// Frees the weights on the device now; later use is a clear error.
    public func unload() {
        lock.withLock {
            shim.api.free_model(handle)
            handle = nil
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
