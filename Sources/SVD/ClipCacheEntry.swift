import Foundation
import Media

/// The file format of one cached clip, v3: a 256-byte header, then the raw RGB frames.
///
///     0   "PI2VCLP3"
///     8   width, height, frame count, fps numerator, fps denominator   (UInt32 LE each)
///     28  payload bytes                                                (UInt64 LE)
///     36  checksum of the payload: FrameChecksum of its frames         (64 ASCII hex digits)
///     100 the key the entry was stored under                           (64 ASCII hex digits)
///
/// A reader checks all of it, the checksum over every payload byte included, before it returns
/// the clip: a cache on a shared or flaky folder (a torn NFS write, a bit flip, a copy cut short,
/// a file put at another key's path) is then a miss, never wrong frames. v2 entries ("PI2VCLP2",
/// the same but a SHA-256 of the payload, about 130 MB/s to check) are still read, so an
/// upgrade keeps its generated clips; v1 entries (no digest) are misses, replaced by the next store.
enum ClipCacheEntry {
    static let magic = Array("PI2VCLP3".utf8)
    static let magicV2 = Array("PI2VCLP2".utf8)
    static let headerSize = 256

    struct Header: Equatable {
        var width, height, count, fpsNum, fpsDen: Int
        var payloadBytes: Int
        var digest: String
        var key: String
        /// 3, or 2 for an entry whose digest is a SHA-256 of the payload.
        var version = 3
    }

    static func header(width: Int, height: Int, count: Int, fps: Rational, digest: String, key: String) -> [UInt8] {
        var h = magic
        for v in [width, height, count, fps.num, fps.den] {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { h.append(contentsOf: $0) }
        }
        withUnsafeBytes(of: UInt64(width * height * 3 * count).littleEndian) { h.append(contentsOf: $0) }
        h += Array(digest.utf8.prefix(64))
        h += Array(key.utf8.prefix(64))
        return h + [UInt8](repeating: 0, count: headerSize - h.count)
    }

    /// The header of an open entry when it is well formed and its size matches; nil otherwise.
    static func readHeader(fd: Int32, fileSize: Int) -> Header? {
        var b = [UInt8](repeating: 0, count: headerSize)
        guard pread(fd, &b, headerSize, 0) == headerSize, Array(b[0..<8]) == magic || Array(b[0..<8]) == magicV2 else { return nil }
        func u32(_ at: Int) -> Int { b.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian) } }
        let payload = b.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 28, as: UInt64.self).littleEndian }
        let h = Header(width: u32(8), height: u32(12), count: u32(16), fpsNum: u32(20), fpsDen: u32(24),
                       payloadBytes: Int(clamping: payload), digest: String(decoding: b[36..<100], as: UTF8.self),
                       key: String(decoding: b[100..<164], as: UTF8.self), version: Array(b[0..<8]) == magic ? 3 : 2)
        // Sizes are checked in 64 bits against the file: a damaged header cannot overflow them.
        guard h.width > 0, h.height > 0, h.count > 0, h.fpsNum > 0, h.fpsDen > 0,
              h.width <= 1 << 15, h.height <= 1 << 15, h.count <= 1 << 16,
              h.payloadBytes == h.width * h.height * 3 * h.count,
              fileSize == headerSize + h.payloadBytes else { return nil }
        return h
    }

    /// The payload's digest read back from the file as the header's version computes it (a
    /// frame at a time, or 4 MiB at a time for v2's SHA-256); nil when the file is short.
    static func payloadDigest(fd: Int32, header h: Header) -> String? {
        let frameBytes = h.width * h.height * 3
        if h.version == 2 { return sha256(fd: fd, bytes: h.payloadBytes) }
        var buffer = [UInt8](repeating: 0, count: frameBytes)
        var sums: [FrameChecksum.Sum] = []
        sums.reserveCapacity(h.count)
        for i in 0..<h.count {
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, frameBytes, off_t(headerSize + i * frameBytes)) }
            guard got == frameBytes else { return nil }
            sums.append(FrameChecksum.sum(buffer))
        }
        return FrameChecksum.combine(sums)
    }

    private static func sha256(fd: Int32, bytes: Int) -> String? {
        let hash = ContentHash()
        var buffer = [UInt8](repeating: 0, count: min(bytes, 4 << 20))
        var done = 0
        while done < bytes {
            let want = min(buffer.count, bytes - done)
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(headerSize + done)) }
            guard got == want else { return nil }
            buffer.withUnsafeBytes { hash.update(UnsafeRawBufferPointer(rebasing: $0[0..<want])) }
            done += want
        }
        return hash.hex()
    }
}
