public struct VideoEncoderSettings: Sendable {
    public var crf: Double
    public var preset: String
    /// 0: libx264 picks (1.5 frame threads a core, plus its lookahead thread).
    public var threads: Int
    /// Frames libx264 looks ahead for frame types and rate control (mb-tree); nil: the preset's,
    /// at most `lookaheadCap`.
    public var lookahead: Int?

    public init(crf: Double = 18, preset: String = "medium", threads: Int = 0, lookahead: Int? = nil) {
        self.crf = crf
        self.preset = preset
        self.threads = threads
        self.lookahead = lookahead
    }

    public static let presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"]

    /// x264's own `rc-lookahead` of each preset (x264's common/base.c).
    public static let presetLookahead = ["ultrafast": 0, "superfast": 0, "veryfast": 10, "faster": 20, "fast": 30,
                                         "medium": 40, "slow": 50, "slower": 60, "veryslow": 60, "placebo": 60]

    /// The lookahead used when none is given. Each frame of lookahead holds about 3.2 MB at 720p
    /// (the picture, its half-resolution planes and mb-tree costs); measured peak RSS of a 720p
    /// render from 1024x576 clips on 2 cores, preset medium: 329 MB at x264's 40, 294 MB at 30,
    /// 265 MB at 20, 231 MB at 10 (and 289 MB with 1 thread at 40, but 3x slower). 20 — preset
    /// `faster`'s own value, which still gives mb-tree a second of look-ahead at 20-25 fps —
    /// keeps a 720p render under 300 MB; 1080p holds about 2.25x as much a frame.
    public static let lookaheadCap = 20

    public var effectiveLookahead: Int {
        lookahead ?? min(Self.presetLookahead[preset] ?? Self.lookaheadCap, Self.lookaheadCap)
    }
}
