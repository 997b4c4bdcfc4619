import CTorchShimLoader

/// The parameters of one generation, with diffusers' defaults (SVD part 2). `width`/`height`
/// default to 1024x576 as diffusers' pipeline call does; `frames` 0 means the model's own count.
public struct GenerationParams: Sendable, Hashable {
    public var width = 1024
    public var height = 576
    public var frames = 0
    public var steps = 25
    public var fps = 7
    public var motion = 127
    public var noiseAug: Float = 0.02
    public var minGuidance: Float = 1.0
    public var maxGuidance: Float = 3.0
    public var decodeChunk = 0
    public var seed: UInt64 = 0

    public init() {}

    /// Every parameter that changes the frames, in a fixed order: part of the cache key.
    var keyText: String {
        "w=\(width) h=\(height) frames=\(frames) steps=\(steps) fps=\(fps) motion=\(motion) "
            + "noise_aug=\(noiseAug.bitPattern) min_g=\(minGuidance.bitPattern) max_g=\(maxGuidance.bitPattern) "
            + "decode_chunk=\(decodeChunk) seed=\(seed)"
    }

    /// The shim's limit (see PI_MAX_FRAMES in podcast_i2v_torch.h), checked here too so that a
    /// typo fails before the model files are hashed or a cache key is made.
    public static let maxFrames = Int(PI_MAX_FRAMES)

    func validate() throws {
        func bad(_ what: String, _ expected: String, _ got: Any) -> SVDError {
            SVDError(operation: "svd", "option '\(what)': expected \(expected), got \(got)", kind: .badArgument)
        }
        guard width > 0, width % 8 == 0 else { throw bad("width", "a positive multiple of 8 (64 for real models)", width) }
        guard height > 0, height % 8 == 0 else { throw bad("height", "a positive multiple of 8 (64 for real models)", height) }
        guard frames >= 0, frames <= GenerationParams.maxFrames else { throw bad("frames", "1 to \(GenerationParams.maxFrames) (0: the model's own)", frames) }
        guard steps >= 1, steps <= 1000 else { throw bad("steps", "1 to 1000", steps) }
        guard fps >= 1, fps <= 120 else { throw bad("fps", "1 to 120", fps) }
        guard motion >= 0, motion <= 1023 else { throw bad("motion", "0 to 1023", motion) }
        guard noiseAug >= 0, noiseAug.isFinite else { throw bad("noise_aug", "a number >= 0", noiseAug) }
        guard minGuidance.isFinite, maxGuidance.isFinite else { throw bad("min_guidance", "finite numbers", "") }
        guard decodeChunk >= 0 else { throw bad("decode_chunk", "a number of frames >= 0 (0: all at once)", decodeChunk) }
    }

    var c: pi_svd_gen_params {
        var p = pi_svd_gen_params()
        p.width = Int32(width)
        p.height = Int32(height)
        p.frames = Int32(frames)
        p.steps = Int32(steps)
        p.fps = Int32(fps)
        p.motion_bucket_id = Int32(motion)
        p.noise_aug_strength = noiseAug
        p.min_guidance = minGuidance
        p.max_guidance = maxGuidance
        p.decode_chunk = Int32(decodeChunk)
        p.seed = seed
        return p
    }
}
