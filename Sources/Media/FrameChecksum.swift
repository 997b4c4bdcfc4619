/// A fast checksum of a clip's frames (256 bits, several GB/s): what a cache entry carries to
/// tell a torn, cut short or damaged file from a whole one. Not cryptographic: keys (what a clip
/// *is*) stay SHA-256; this only has to notice accidents, and a SHA-256 over the 180 MB of an
/// up-converted clip cost more than computing the clip. Frames are summed one by one (in any
/// order, on any thread), then the sums are combined in frame order.
///
/// Each of four lanes takes every fourth 64-bit word: `h = rotl((h ^ word) · P, 29)`, a
/// bijection of `h` for a given word, so two inputs that differ in a single word always differ.
public enum FrameChecksum {
    public typealias Sum = (UInt64, UInt64, UInt64, UInt64)

    /// The sum of one frame's bytes.
    public static func sum(_ bytes: UnsafeRawBufferPointer) -> Sum {
        var h: Sum = (0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344, 0xA409_3822_299F_31D0, 0x082E_FA98_EC4E_6C89)
        let n = bytes.count
        var i = 0
        if let base = bytes.baseAddress {
            while i + 32 <= n {
                step(&h, base, i)
                i += 32
            }
            if i < n {
                var tail = [UInt8](repeating: 0, count: 32)
                tail.withUnsafeMutableBytes { t in
                    t.baseAddress!.copyMemory(from: base + i, byteCount: n - i)
                    step(&h, UnsafeRawPointer(t.baseAddress!), 0)
                }
            }
        }
        let len = UInt64(n)
        return (mix(h.0 ^ len), mix(h.1 ^ len &+ 1), mix(h.2 ^ len &+ 2), mix(h.3 ^ len &+ 3))
    }

    public static func sum(_ bytes: [UInt8]) -> Sum { bytes.withUnsafeBytes { sum($0) } }

    /// The frames' sums combined in frame order, as 64 hex digits.
    public static func combine(_ sums: [Sum]) -> String {
        var words = [UInt64]()
        words.reserveCapacity(sums.count * 4)
        for s in sums { words += [s.0, s.1, s.2, s.3] }
        let all = words.withUnsafeBytes { sum($0) }
        return [all.0, all.1, all.2, all.3].map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    @inline(__always)
    private static func step(_ h: inout Sum, _ p: UnsafeRawPointer, _ i: Int) {
        let prime: UInt64 = 0x9E37_79B1_85EB_CA87
        h.0 = rotl((h.0 ^ UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* prime)
        h.1 = rotl((h.1 ^ UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))) &* prime)
        h.2 = rotl((h.2 ^ UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))) &* prime)
        h.3 = rotl((h.3 ^ UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))) &* prime)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64) -> UInt64 { (x << 29) | (x >> 35) }

    /// MurmurHash3's finaliser: every input bit reaches every output bit.
    private static func mix(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33
        k = k &* 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k = k &* 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }
}
