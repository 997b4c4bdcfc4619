import Errors
import Foundation

/// Keeping a shared clip cache tidy: temporary files left by killed writers, and the size cap
/// (`cache.limit(bytes)`: oldest used first out).
extension ClipCache {
    /// A temporary entry file not written to for this long is a dead writer's: a store writes its
    /// whole entry in one go (seconds), and on a folder shared by several machines the writer's
    /// pid cannot tell whether it is still alive, its age can.
    static let staleTemporaryAge: TimeInterval = 5 * 60

    /// Once per cache per session, before the first store: removes stale temporary files.
    func sweepOnce() {
        lock.lock()
        let first = !swept
        swept = true
        lock.unlock()
        if first { removeStaleTemporaries(olderThan: ClipCache.staleTemporaryAge) }
    }

    /// Removes AtomicFile's temporaries of entries (".<key>.clip.tmp-...") whose last write is older
    /// than `age` seconds; returns how many.
    @discardableResult
    func removeStaleTemporaries(olderThan age: TimeInterval) -> Int {
        let fm = FileManager.default
        guard let shards = try? fm.contentsOfDirectory(atPath: clipsDirectory.path) else { return 0 }
        let now = Date().timeIntervalSince1970
        var removed = 0
        for shard in shards {
            let dir = clipsDirectory.appendingPathComponent(shard).path
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            for name in names where name.hasPrefix(".") && name.contains(ClipCache.suffix + ".tmp-") {
                var st = stat()
                let path = dir + "/" + name
                guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
                if now - Double(st.st_mtim.tv_sec) > age, unlink(path) == 0 { removed += 1 }
            }
        }
        return removed
    }

    /// Removes the least recently used entries (by modification time: stored or last hit) until
    /// the cache holds at most `bytes`; the entry just stored stays even when it alone is larger.
    /// Another process may evict at the same time: a file already gone is skipped, and a reader
    /// that has an entry open keeps reading it (the data lives until it closes it).
    @discardableResult
    public func evict(toFit bytes: Int64, keeping key: String? = nil) -> Int {
        struct Entry { let url: URL; let size: Int64; let used: Double }
        var entries: [Entry] = []
        var total: Int64 = 0
        for url in entryURLs() {
            var st = stat()
            guard stat(url.path, &st) == 0 else { continue }
            let used = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
            entries.append(Entry(url: url, size: Int64(st.st_size), used: used))
            total += Int64(st.st_size)
        }
        let kept = key.map { url(for: $0).standardizedFileURL.path }
        var removed = 0
        for e in entries.sorted(by: { $0.used < $1.used }) where total > bytes {
            if e.url.standardizedFileURL.path == kept { continue }
            if unlink(e.url.path) == 0 { removed += 1 }
            total -= e.size  // gone either way: removed here or by another process
        }
        return removed
    }

    static func reason(_ error: Error) -> String {
        if let f = error as? Failure { return f.message }
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return ns.localizedDescription
    }
}
