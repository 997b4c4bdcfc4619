import Foundation
import Media

/// What a model *is*, for the clip cache: the SHA-256 of the content of every file the chosen
/// variant loads (the JSON configs and the weights), so a renamed or copied folder keeps its
/// clips and a retrained one gets new ones. Hashing gigabytes takes seconds, so each file's hash
/// is remembered under the cache folder by path, size, modification time and inode.
public enum ModelIdentity {
    public static func of(_ folder: ModelFolder, variant: String?, memo: URL?, progress: Media.Progress? = nil) throws -> String {
        let root = URL(fileURLWithPath: folder.path)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return "" }
        var files: [String] = []
        for case let url as URL in walker {
            let rel = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            if rel.hasSuffix(".json") { files.append(rel); continue }
            guard rel.hasSuffix(".safetensors") else { continue }
            let isFP16 = rel.hasSuffix(".fp16.safetensors")
            if (variant == "fp16") == isFP16 { files.append(rel) }
        }
        files.sort()
        let total = ContentHash()
        total.update("podcast-i2v model v1 variant=\(variant ?? "-")\n")
        for rel in files {
            let path = root.appendingPathComponent(rel).path
            total.update("\(rel) \(try fileHash(path, memo: memo, progress: progress))\n")
        }
        return total.hex()
    }

    static func fileHash(_ path: String, memo: URL?, progress: Media.Progress?) throws -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { throw SVDError(operation: "svd.load", "cannot read '\(path)': \(String(cString: strerror(errno)))", kind: .io) }
        let stamp = "\(path)|\(st.st_size)|\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)|\(st.st_ino)"
        let memoFile = memo?.appendingPathComponent(ContentHash.hex(of: stamp))
        if let memoFile, let known = try? String(contentsOf: memoFile, encoding: .utf8), known.count == 64 {
            return known
        }
        let h = ContentHash()
        try h.update(fileAt: path) { _ in progress?.update(0) }
        let hex = h.hex()
        if let memoFile {
            try? FileManager.default.createDirectory(at: memoFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? AtomicFile.write(Data(hex.utf8), to: memoFile.path)
        }
        return hex
    }
}
