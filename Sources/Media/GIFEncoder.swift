import Foundation

/// A small animated GIF89a from RGB8 frames: what `clip:preview()` shows in terminals that
/// animate GIFs, and what any browser or viewer opens. A fixed 6x7x6 colour cube with ordered
/// dithering keeps it one pass and dependency-free; previews are small, so LZW in Swift is quick.
public enum GIFEncoder {
    public static func encode(_ frames: [Image], fps: Double) -> Data {
        precondition(!frames.isEmpty, "GIFEncoder: no frames")
        let w = frames[0].width, h = frames[0].height
        var out = Data("GIF89a".utf8)
        out.appendLE16(w); out.appendLE16(h)
        out.append(0xF7) // global colour table of 256 entries
        out.append(0); out.append(0)
        for i in 0..<256 {
            if i < 252 {
                let r = i / 42, g = (i / 6) % 7, b = i % 6
                out.append(UInt8(r * 255 / 5)); out.append(UInt8(g * 255 / 6)); out.append(UInt8(b * 255 / 5))
            } else {
                out.append(0); out.append(0); out.append(0)
            }
        }
        // Loop forever (NETSCAPE2.0 application extension).
        out.append(contentsOf: [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01, 0x00, 0x00, 0x00])
        let delay = max(2, Int((100 / max(fps, 1)).rounded()))
        for frame in frames {
            out.append(contentsOf: [0x21, 0xF9, 0x04, 0x00])
            out.appendLE16(delay)
            out.append(contentsOf: [0x00, 0x00])
            out.append(0x2C)
            out.appendLE16(0); out.appendLE16(0); out.appendLE16(w); out.appendLE16(h)
            out.append(0x00)
            out.append(8) // LZW minimum code size
            let lzw = compress(indices(frame, width: w, height: h))
            var i = 0
            while i < lzw.count {
                let n = min(255, lzw.count - i)
                out.append(UInt8(n))
                out.append(contentsOf: lzw[i..<(i + n)])
                i += n
            }
            out.append(0x00)
        }
        out.append(0x3B)
        return out
    }

    private static let bayer: [Int] = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5]

    /// Palette indices of one frame (resized to the first frame's size by the caller).
    public static func indices(_ image: Image, width: Int, height: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height)
        let px = image.pixels
        for y in 0..<min(height, image.height) {
            for x in 0..<min(width, image.width) {
                let i = (y * image.width + x) * 3
                let d = Double(bayer[(y & 3) * 4 + (x & 3)]) / 16 - 0.5
                func level(_ v: UInt8, _ steps: Int) -> Int {
                    min(steps - 1, max(0, Int((Double(v) / 255 * Double(steps - 1) + d).rounded())))
                }
                out[y * width + x] = UInt8(level(px[i], 6) * 42 + level(px[i + 1], 7) * 6 + level(px[i + 2], 6))
            }
        }
        return out
    }

    /// GIF's variable-width LZW, least significant bit first.
    static func compress(_ data: [UInt8]) -> [UInt8] {
        let clear = 256, end = 257
        var table: [Int: Int] = [:]
        var next = 258, width = 9
        var out: [UInt8] = []
        var bits = 0, nbits = 0
        func emit(_ code: Int) {
            bits |= code << nbits
            nbits += width
            while nbits >= 8 { out.append(UInt8(bits & 0xFF)); bits >>= 8; nbits -= 8 }
        }
        emit(clear)
        guard var prefix = data.first.map(Int.init) else { emit(end); return out }
        for byte in data.dropFirst() {
            let key = prefix << 8 | Int(byte)
            if let code = table[key] { prefix = code; continue }
            emit(prefix)
            if next < 4096 {
                table[key] = next
                next += 1
                if next > (1 << width) && width < 12 { width += 1 }
            } else {
                emit(clear)
                table.removeAll(keepingCapacity: true)
                next = 258
                width = 9
            }
            prefix = Int(byte)
        }
        emit(prefix)
        emit(end)
        if nbits > 0 { out.append(UInt8(bits & 0xFF)) }
        return out
    }
}

extension Data {
    mutating func appendLE16(_ v: Int) {
        append(UInt8(v & 0xFF))
        append(UInt8((v >> 8) & 0xFF))
    }
}
