import Foundation
import Media

/// Generated clips by content: the key covers the model's identity, the shim's version, the
/// device kind and dtype, the still's pixels and every generation parameter, so a hit gives the
/// frames that generating would give, and costs no denoising. An entry is one file of raw RGB
/// frames behind a header with the payload's SHA-256 (ClipCacheEntry), written under a temporary
/// name in its own folder and renamed when complete; a reader verifies it before returning it.
/// So processes on several machines can share one folder: a half-written, torn or damaged entry
/// is a miss, the same key written twice leaves one whole entry, and temporary files left by a
/// killed writer are removed by a later store (ClipCacheMaintenance).
public final class ClipCache: @unchecked Sendable {
    public let directory: URL
    static let suffix = ".clip"
    /// At most this many bytes of clips (oldest used first out after each store); nil: no cap.
    public var limit: Int64?
    var swept = false
    let lock = NSLock()

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

    func url(for key: String) -> URL {
        clipsDirectory.appendingPathComponent(String(key.prefix(2))).appendingPathComponent(key + ClipCache.suffix)
    }

    /// The cached clip, read lazily frame by frame; nil when absent, unreadable or failing its
    /// checks (a damaged entry is a miss, and is replaced by the next store). A hit marks the
    /// entry as used now (its modification time), for `limit`.
    public func clip(for key: String) -> FrameSequence? {
        let path = url(for: key).path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        let file = CacheFile(fd: fd)
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
              let h = ClipCacheEntry.readHeader(fd: fd, fileSize: Int(st.st_size)), h.key == key,
              ClipCacheEntry.payloadDigest(fd: fd, header: h) == h.digest else { return nil }
        _ = futimens(fd, nil)  // used now; fails harmlessly on a read-only cache
        let (w, hh) = (h.width, h.height)
        let headerSize = ClipCacheEntry.headerSize
        return FrameSequence(width: w, height: hh, fps: Rational(h.fpsNum, h.fpsDen), count: h.count) { index in
            var pixels = [UInt8](repeating: 0, count: w * hh * 3)
            let offset = off_t(headerSize + index * w * hh * 3)
            guard pread(file.fd, &pixels, pixels.count, offset) == pixels.count else {
                throw SVDError(operation: "cache", "cannot read frame \(index + 1) of '\(path)'", kind: .cache)
            }
            return Image(width: w, height: hh, pixels: pixels)
        }
    }

    /// Stores frames under `key` (write beside it, then rename) and returns the cached clip.
    /// Throws an SVDError of kind .cache naming the folder when it cannot be written.
    @discardableResult
    public func store(_ frames: [Image], fps: Rational, key: String) throws -> FrameSequence {
        guard let first = frames.first else { throw SVDError(operation: "cache", "no frames to store", kind: .cache) }
        let target = url(for: key)
        var sums: [FrameChecksum.Sum] = []
        for f in frames {
            guard f.width == first.width, f.height == first.height else { throw SVDError(operation: "cache", "frames of different sizes", kind: .cache) }
            sums.append(FrameChecksum.sum(f.pixels))
        }
        var data = Data(ClipCacheEntry.header(width: first.width, height: first.height, count: frames.count, fps: fps,
                                              digest: FrameChecksum.combine(sums), key: key))
        data.reserveCapacity(data.count + frames.count * first.pixels.count)
        for f in frames { data.append(contentsOf: f.pixels) }
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            sweepOnce()
            try AtomicFile.write(data, to: target.path)
        } catch {
            throw SVDError(operation: "cache", "cannot write to the clip cache '\(directory.path)': \(ClipCache.reason(error))", kind: .cache)
        }
        if let limit { evict(toFit: limit, keeping: key) }
        // Read back from the file (so a hit and a miss hand out the same kind of clip); another
        // process may have evicted it already, and then the frames in memory serve.
        return clip(for: key) ?? FrameSequence(width: first.width, height: first.height, fps: fps, count: frames.count) { frames[$0] }
    }

    /// A new entry written frame by frame (from several threads at once: frames lie at fixed
    /// offsets), published by `commit`; until then readers miss, and a writer dropped without
    /// committing leaves nothing. For clips too long to hold in memory (up-converted frames).
    public func writer(key: String, width: Int, height: Int, count: Int, fps: Rational) throws -> EntryWriter {
        guard width > 0, height > 0, count > 0 else { throw SVDError(operation: "cache", "no frames to store", kind: .cache) }
        let target = url(for: key)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        sweepOnce()
        let file = try AtomicFile.Writer(path: target.path)
        // The header (with the payload's checksum) is written at commit, when every frame is in.
        try file.write([UInt8](repeating: 0, count: ClipCacheEntry.headerSize), at: 0)
        return EntryWriter(cache: self, key: key, file: file, width: width, height: height, count: count, fps: fps)
    }

    public final class EntryWriter: @unchecked Sendable {
        let cache: ClipCache, key: String, file: AtomicFile.Writer
        let width: Int, height: Int, count: Int, fps: Rational
        /// Each frame's checksum, taken as it is written (on the writing thread).
        private var sums: [FrameChecksum.Sum?]
        private let lock = NSLock()
        init(cache: ClipCache, key: String, file: AtomicFile.Writer, width: Int, height: Int, count: Int, fps: Rational) {
            (self.cache, self.key, self.file, self.width, self.height, self.count, self.fps) = (cache, key, file, width, height, count, fps)
            sums = Array(repeating: nil, count: count)
        }

        public func write(_ image: Image, at index: Int) throws {
            guard index >= 0, index < count, image.width == width, image.height == height else {
                throw SVDError(operation: "cache", "frame \(index + 1) (\(image.width)x\(image.height)) does not fit an entry of \(count) \(width)x\(height) frames", kind: .cache)
            }
            let pixels = image.pixels
            try file.write(pixels, at: ClipCacheEntry.headerSize + index * width * height * 3)
            let sum = FrameChecksum.sum(pixels)
            lock.withLock { sums[index] = sum }
        }

        /// Publishes the entry and returns it, read lazily like any other.
        public func commit() throws -> FrameSequence {
            let all = lock.withLock { sums.compactMap { $0 } }
            guard all.count == count else {
                throw SVDError(operation: "cache", "\(count - all.count) of \(count) frames were never written to '\(file.path)'", kind: .cache)
            }
            try file.write(ClipCacheEntry.header(width: width, height: height, count: count, fps: fps,
                                                 digest: FrameChecksum.combine(all), key: key), at: 0)
            try file.commit()
            if let limit = cache.limit { cache.evict(toFit: limit, keeping: key) }
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

    func entryURLs() -> [URL] {
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
