import Media

/// Clips of one size and frame rate played one after another, each join a cross-fade of
/// `overlap` frames (the end of one fading into the start of the next): how chained SVD
/// segments become one scene without a visible seam. Unlike concat (which places parts by
/// time), the parts here overlap, so the whole is `overlap` frames shorter per join.
public final class CrossfadeClip: Clip, @unchecked Sendable {
    public let parts: [any Clip]
    public let overlap: Int
    public let frameCount: Int
    /// Output frame where each part starts.
    public let starts: [Int]
    public var width: Int { parts[0].width }
    public var height: Int { parts[0].height }
    public var fps: Rational { parts[0].fps }

    /// Parts must share size and rate and be longer than `overlap`; checked by the caller
    /// (`crossfade` in Lua says which part differs).
    public init(_ parts: [any Clip], overlap: Int) {
        precondition(!parts.isEmpty, "CrossfadeClip: no parts")
        self.parts = parts
        self.overlap = max(0, overlap)
        var starts: [Int] = []
        var at = 0
        for p in parts {
            starts.append(at)
            at += p.frameCount - self.overlap
        }
        self.starts = starts
        frameCount = at + self.overlap
    }

    public func makeReader() throws -> any FrameSource { Reader(self) }

    private final class Reader: FrameSource {
        let clip: CrossfadeClip
        var readers: [Int: any FrameSource] = [:]
        init(_ clip: CrossfadeClip) { self.clip = clip }

        func part(_ p: Int, _ k: Int) throws -> Image {
            if readers[p] == nil {
                // Parts are read in order: the one two back is done.
                readers = readers.filter { abs($0.key - p) <= 1 }
                readers[p] = try clip.parts[p].makeReader()
            }
            return try readers[p]!.frame(k)
        }

        func frame(_ index: Int) throws -> Image {
            let starts = clip.starts
            var p = starts.count - 1
            while p > 0, starts[p] > index { p -= 1 }
            let j = index - starts[p]
            // The first `overlap` frames of a part lie inside the previous one's end: a fade.
            if p > 0, j < clip.overlap {
                let k = index - starts[p - 1]
                return Image.mix(try part(p - 1, k), try part(p, j), weight: Double(j + 1) / Double(clip.overlap + 1))
            }
            return try part(p, min(j, clip.parts[p].frameCount - 1))
        }
    }
}
