import CFFmpeg
import Foundation

/// SHA-256 through FFmpeg's libavutil (C speed in debug builds too; we link it anyway): the
/// identity of model files, stills and cache keys.
public final class ContentHash {
    private let context: OpaquePointer

    public init() {
        context = av_sha_alloc()
        av_sha_init(context, 256)
    }

    deinit { av_free(UnsafeMutableRawPointer(context)) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        av_sha_update(context, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    public func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }
    public func update(_ text: String) { update(Array(text.utf8)) }

    /// Streams a file in 4 MiB pieces, so hashing a 4 GB checkpoint costs no memory.
    public func update(fileAt path: String, progress: ((Int64) -> Void)? = nil) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MediaError(operation: "hash", "cannot read '\(path)'", kind: .io)
        }
        defer { try? handle.close() }
        var done: Int64 = 0
        while true {
            let chunk = try handle.read(upToCount: 4 << 20) ?? Data()
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { update($0) }
            done += Int64(chunk.count)
            progress?(done)
        }
    }

    /// The digest as 64 lowercase hex digits; the hash is finished afterwards.
    public func hex() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        av_sha_final(context, &digest)
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    public static func hex(of text: String) -> String {
        let h = ContentHash()
        h.update(text)
        return h.hex()
    }
}
