import Foundation
import Media

/// The frames of a source video, read forward by one decoder that every `ComposedClip` of that
/// source shares. A render asks for scene after scene in order, so the whole render decodes the
/// source once; a decoder per scene, each starting at the file's start, would decode it
/// quadratically often. Asking for an earlier frame than the last one reopens the file.
public final class SourceFrames: FileBackedClip, @unchecked Sendable {
    public let info: MediaInfo
    public var path: String { info.path }
    public var width: Int { info.width }
    public var height: Int { info.height }
    public var fps: Rational { info.fps }
    public var frameCount: Int { max(1, info.frameCount) }

    private let lock = NSLock()
    private var decoder: VideoDecoder?
    private var next = 0
    private var last: Image?
    /// The frame before `last`: reading ahead moves `last` on, and asking again for the frame
    /// just handed out must not reopen the file.
    private var previous: Image?
    private var decoded = 0
    private var opened = 0
    /// Whether the next frame is decoded while the caller works on this one (off: the counts
    /// below are exact at every moment, for tests).
    public var readsAhead = true

    /// Frames decoded since this reader was made, over every reopening: what says whether a
    /// render decoded its source once.
    public var framesDecoded: Int { lock.withLock { decoded } }
    /// Times the file was opened (1 for a render that reads forward).
    public var opens: Int { lock.withLock { opened } }

    public init(info: MediaInfo) { self.info = info }

    public convenience init(path: String) throws { self.init(info: try MediaInfo.probe(path)) }

    /// The reader of `info.path` that other users of the same file share (made on first use,
    /// let go when no clip holds it any more).
    public static func shared(_ info: MediaInfo) -> SourceFrames {
        registryLock.withLock {
            let key = URL(fileURLWithPath: info.path).standardizedFileURL.path
            registry = registry.filter { $0.value.frames != nil }
            if let s = registry[key]?.frames { return s }
            let s = SourceFrames(info: info)
            registry[key] = Weak(s)
            return s
        }
    }

    private final class Weak {
        weak var frames: SourceFrames?
        init(_ frames: SourceFrames) { self.frames = frames }
    }
    nonisolated(unsafe) private static var registry: [String: Weak] = [:]
    private static let registryLock = NSLock()

    /// Source frame `index` (0-based); past the file's end, its last frame.
    public func frame(_ index: Int) throws -> Image {
        let image = try lock.withLock { try frameLocked(min(index, end ?? Int.max)) }
        if readsAhead { readAhead(after: index) }
        return image
    }

    /// Decodes and converts the next frame on another thread while the caller composes this one:
    /// the source's decoding is then off the render's critical path (the frame thread that feeds
    /// the encoder), which a render otherwise waits for frame by frame.
    private func readAhead(after index: Int) {
        ahead.async { [weak self] in
            guard let self else { return }
            self.lock.withLock {
                guard self.decoder != nil, self.next == index + 1, self.end == nil else { return }
                _ = try? self.frameLocked(index + 1)
            }
        }
    }
    private let ahead = DispatchQueue(label: "podcast-i2v source frames")

    /// The number of frames the file really has, once a read has met its end.
    private var end: Int?

    private func frameLocked(_ index: Int) throws -> Image {
        if let last, index == next - 1 { return last }
        if let previous, index == next - 2 { return previous }
        if index < next || decoder == nil {
            decoder = try VideoDecoder(path: info.path)
            // Accurate rounding would cost a render more than its encoder's share for a level at most.
            decoder!.fastRGB = true
            opened += 1
            next = 0
            last = nil
        }
        previous = index == next ? last : nil
        // Frames no composed scene shows (a scene left as it was) are decoded, not converted.
        while next < index {
            guard try decoder!.nextDecodedFrame() != nil else { return try pastEnd() }
            decoded += 1
            next += 1
            last = nil
        }
        guard let f = try decoder!.nextFrame(width: width, height: height) else { return try pastEnd() }
        decoded += 1
        next += 1
        last = f.image
        return f.image
    }

    /// Fewer frames than the header said: the last one stands for the rest.
    private func pastEnd() throws -> Image {
        guard next > 0 else { throw MediaError(operation: "compose", "no frames in '\(info.path)'") }
        end = next - 1
        decoder = nil
        return try frameLocked(next - 1)
    }

    /// As a clip (the source itself, frame for frame), sharing the decoder.
    public func makeReader() throws -> any FrameSource { Reader(self) }

    private final class Reader: FrameSource {
        let frames: SourceFrames
        init(_ frames: SourceFrames) { self.frames = frames }
        func frame(_ index: Int) throws -> Image { try frames.frame(index) }
    }
}
