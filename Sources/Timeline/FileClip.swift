import Media

/// A clip read from a video file (any clip FFmpeg reads, e.g. one made by another tool).
/// Frames decode forward; a reader keeps recent frames (up to `cacheBytes`) so loops and
/// pingpongs over a short clip decode it once, and re-decodes from the start otherwise.
public final class FileClip: Clip, FileBackedClip, @unchecked Sendable {
    public let path: String
    public let info: MediaInfo
    public var width: Int { info.width }
    public var height: Int { info.height }
    public var fps: Rational { info.fps }
    public var frameCount: Int { max(1, info.frameCount) }
    /// Decoded frames a reader may keep (64 MB: a 3 s 1024x576 clip at 7 fps is 37 MB).
    public var cacheBytes = 64 << 20

    public init(path: String) throws {
        self.path = path
        info = try MediaInfo.probe(path)
    }

    public init(info: MediaInfo) {
        path = info.path
        self.info = info
    }

    public func makeReader() throws -> any FrameSource { Reader(self) }

    private final class Reader: FrameSource {
        let clip: FileClip
        var decoder: VideoDecoder?
        var next = 0
        var cache: [Int: Image] = [:]
        var cacheLimit: Int
        var lastImage: Image?

        init(_ clip: FileClip) {
            self.clip = clip
            cacheLimit = max(2, clip.cacheBytes / max(1, clip.width * clip.height * 3))
        }

        func frame(_ index: Int) throws -> Image {
            if let hit = cache[index] { return hit }
            if index < next || decoder == nil {
                decoder = try VideoDecoder(path: clip.path)
                next = 0
            }
            while next <= index {
                guard let f = try decoder!.nextFrame() else {
                    // Fewer frames than the header said: the last one stands for the rest.
                    guard let last = lastImage else { throw MediaError(operation: "clip", "no frames in '\(clip.path)'") }
                    return last
                }
                let image = f.image.width == clip.width && f.image.height == clip.height ? f.image
                    : f.image.resized(width: clip.width, height: clip.height)
                if cache.count < cacheLimit { cache[next] = image }
                lastImage = image
                next += 1
            }
            return lastImage!
        }
    }
}
