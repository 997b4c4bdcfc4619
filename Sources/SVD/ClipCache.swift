import Foundation
import Media

/// Generated clips by content: the key covers the model's identity, the shim's version, the
/// device kind and dtype, the still's pixels and every generation parameter, so a hit gives the
/// frames that generating would give, and costs no denoising. An entry is one file of raw RGB
/// frames behind a small header, written under a temporary name and renamed when complete, so a
/// half-written entry is never read back.
public final class ClipCache: @unchecked Sendable {
    public let directory: URL
    private static let magic = Array("PI2VCLP1".utf8)
    private static let headerSize = 64
    static let suffix = ".clip"

    public init(directory: URL) { self.directory = directory }

    /// `$XDG_CACHE_HOME/podcast-i2v`, else `~/.cache/podcast-i2v`.
    public static var defaultDirectory: URL {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("podcast-i2v")
        }
        return URL(fileURLWithPath: env["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".cache/podcast-i2v")
    }

    var clipsDirectory: URL { directory.appendingPathComponent("clips") }
    /// Remembered hashes of model files (see ModelIdentity).
    public var modelHashesDirectory: URL { directory.appendingPathComponent("model-files") }

    public static func key(model: SVDModel, image: Image, params: GenerationParams) -> String {
        let pixels = ContentHash()
        pixels.update(image.pixels)
        let text = """
            podcast-i2v clip v1
            model=\(model.identity)
            shim=\(model.shimVersion)
            device=\(model.resolvedDevice.hasPrefix("cuda") ? "cuda" : model.resolvedDevice) dtype=\(model.options.dtype)
            image=\(image.width)x\(image.height) \(pixels.hex())
            \(params.keyText)
            """
        return ContentHash.hex(of: text)
    }

    private func url(for key: String) -> URL {
        clipsDirectory.appendingPathComponent(String(key.prefix(2))).appendingPathComponent(key + ClipCache.suffix)
    }

    /// The cached clip, read lazily frame by frame; nil when absent or unreadable (a damaged
    /// entry is a miss, and is replaced by the next store).
    public func clip(for key: String) -> FrameSequence? {
        let path = url(for: key).path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        let file = CacheFile(fd: fd)
        var header = [UInt8](repeating: 0, count: ClipCache.headerSize)
        guard pread(fd, &header, header.count, 0) == header.count, Array(header[0..<8]) == ClipCache.magic else { return nil }
        func field(_ i: Int) -> Int {
            header.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: 8 + 4 * i, as: UInt32.self).littleEndian) }
        }
        let (w, h, count, fpsNum, fpsDen) = (field(0), field(1), field(2), field(3), field(4))
        var st = stat()
        guard w > 0, h > 0, count > 0, fpsNum > 0, fpsDen > 0, fstat(fd, &st) == 0,
              Int(st.st_size) == ClipCache.headerSize + w * h * 3 * count else { return nil }
        return FrameSequence(width: w, height: h, fps: Rational(fpsNum, fpsDen), count: count) { index in
            var pixels = [UInt8](repeating: 0, count: w * h * 3)
            let offset = off_t(ClipCache.headerSize + index * w * h * 3)
            guard pread(file.fd, &pixels, pixels.count, offset) == pixels.count else {
                throw SVDError(operation: "cache", "cannot read frame \(index + 1) of '\(path)'", kind: .cache)
            }
            return Image(width: w, height: h, pixels: pixels)
        }
    }

    /// Stores frames under `key` (write, then rename) and returns the cached clip.
    @discardableResult
    public func store(_ frames: [Image], fps: Rational, key: String) throws -> FrameSequence {
        guard let first = frames.first else { throw SVDError(operation: "cache", "no frames to store", kind: .cache) }
        let target = url(for: key)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        var header = ClipCache.magic
        for v in [first.width, first.height, frames.count, fps.num, fps.den] {
            withUnsafeBytes(of: UInt32(v).littleEndian) { header.append(contentsOf: $0) }
        }
        header += [UInt8](repeating: 0, count: ClipCache.headerSize - header.count)
        var data = Data(header)
        data.reserveCapacity(header.count + frames.count * first.pixels.count)
        for f in frames {
            guard f.width == first.width, f.height == first.height else { throw SVDError(operation: "cache", "frames of different sizes", kind: .cache) }
            data.append(contentsOf: f.pixels)
        }
        try AtomicFile.write(data, to: target.path)
        guard let clip = clip(for: key) else { throw SVDError(operation: "cache", "cannot read back '\(target.path)'", kind: .cache) }
        return clip
    }

    /// A new entry written frame by frame (from several threads at once: frames lie at fixed
    /// offsets), published by `commit`; until then readers miss, and a writer dropped without
    /// committing leaves nothing. For clips too long to hold in memory (up-converted frames).
    public func writer(key: String, width: Int, height: Int, count: Int, fps: Rational) throws -> EntryWriter {
        guard width > 0, height > 0, count > 0 else { throw SVDError(operation: "cache", "no frames to store", kind: .cache) }
        let target = url(for: key)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        var header = ClipCache.magic
        for v in [width, height, count, fps.num, fps.den] {
            withUnsafeBytes(of: UInt32(v).littleEndian) { header.append(contentsOf: $0) }
        }
        header += [UInt8](repeating: 0, count: ClipCache.headerSize - header.count)
        let file = try AtomicFile.Writer(path: target.path)
        try file.write(header, at: 0)
        return EntryWriter(cache: self, key: key, file: file, width: width, height: height, count: count)
    }

    public final class EntryWriter: @unchecked Sendable {
        let cache: ClipCache, key: String, file: AtomicFile.Writer
        let width: Int, height: Int, count: Int
        init(cache: ClipCache, key: String, file: AtomicFile.Writer, width: Int, height: Int, count: Int) {
            (self.cache, self.key, self.file, self.width, self.height, self.count) = (cache, key, file, width, height, count)
        }

        public func write(_ image: Image, at index: Int) throws {
            guard index >= 0, index < count, image.width == width, image.height == height else {
                throw SVDError(operation: "cache", "frame \(index + 1) (\(image.width)x\(image.height)) does not fit an entry of \(count) \(width)x\(height) frames", kind: .cache)
            }
            try file.write(image.pixels, at: ClipCache.headerSize + index * width * height * 3)
        }

        /// Publishes the entry and returns it, read lazily like any other.
        public func commit() throws -> FrameSequence {
            try file.commit()
            guard let clip = cache.clip(for: key) else { throw SVDError(operation: "cache", "cannot read back '\(file.path)'", kind: .cache) }
            return clip
        }
    }

    public struct Info: Sendable {
        public let directory: String
        public let entries: Int
        public let bytes: Int64
    }

    public func info() -> Info {
        var entries = 0
        var bytes: Int64 = 0
        for url in entryURLs() {
            entries += 1
            bytes += Int64((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        }
        return Info(directory: directory.path, entries: entries, bytes: bytes)
    }

    /// Removes the cached clips (only files this cache wrote); returns how many.
    @discardableResult
    public func clear() -> Int {
        var removed = 0
        for url in entryURLs() where (try? FileManager.default.removeItem(at: url)) != nil { removed += 1 }
        return removed
    }

    /// Where other layers keep whole files by content key (motion commands' videos): counted
    /// and cleared with the clips.
    public var filesDirectory: URL { directory.appendingPathComponent("motion") }

    private func entryURLs() -> [URL] {
        var urls: [URL] = []
        if let walker = FileManager.default.enumerator(at: clipsDirectory, includingPropertiesForKeys: [.fileSizeKey]) {
            urls += walker.compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix(ClipCache.suffix) }
        }
        // Finished files only: a name starting with '.' is one being written.
        if let walker = FileManager.default.enumerator(at: filesDirectory, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) {
            urls += walker.compactMap { $0 as? URL }.filter {
                !$0.lastPathComponent.hasPrefix(".") && (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
            }
        }
        return urls
    }
}

/// Closes the cache file when the last clip reading it goes away.
private final class CacheFile: @unchecked Sendable {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }
}
