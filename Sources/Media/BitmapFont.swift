/// A 5x7 pixel font built in (digits, the few signs time labels need, and the letters of a short
/// label), drawn at an integer scale: enough to label a contact sheet without a font library.
public enum BitmapFont {
    public static let glyphWidth = 5
    public static let glyphHeight = 7
    /// One blank column between glyphs.
    public static let advance = glyphWidth + 1

    /// Rows top to bottom, the high bit of the low five on the left.
    static let glyphs: [Character: [UInt8]] = [
        "0": [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
        "1": [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
        "2": [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
        "3": [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110],
        "4": [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
        "5": [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
        "6": [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
        "7": [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
        "8": [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
        "9": [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
        ":": [0b00000, 0b01100, 0b01100, 0b00000, 0b01100, 0b01100, 0b00000],
        ".": [0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b01100],
        "#": [0b01010, 0b01010, 0b11111, 0b01010, 0b11111, 0b01010, 0b01010],
        "-": [0b00000, 0b00000, 0b00000, 0b11111, 0b00000, 0b00000, 0b00000],
        "/": [0b00001, 0b00010, 0b00010, 0b00100, 0b01000, 0b01000, 0b10000],
        "s": [0b00000, 0b00000, 0b01110, 0b10000, 0b01110, 0b00001, 0b11110],
        "h": [0b10000, 0b10000, 0b10110, 0b11001, 0b10001, 0b10001, 0b10001],
        "m": [0b00000, 0b00000, 0b11010, 0b10101, 0b10101, 0b10001, 0b10001],
        " ": [0, 0, 0, 0, 0, 0, 0],
        "?": [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b00000, 0b00100],
    ]

    /// The width in pixels of `text` at `scale` (no trailing blank column).
    public static func width(of text: String, scale: Int) -> Int {
        text.isEmpty ? 0 : (text.count * advance - 1) * scale
    }

    /// Draws `text` with its top-left corner at (`x`, `y`) into `image`, clipped to its edges;
    /// characters the font lacks are drawn as `?`.
    public static func draw(_ text: String, into image: Image, x: Int, y: Int, scale: Int,
                            color: (UInt8, UInt8, UInt8) = (255, 255, 255)) {
        let w = image.width, h = image.height
        image.pixels.withUnsafeMutableBufferPointer { px in
            for (n, ch) in text.enumerated() {
                let rows = glyphs[ch] ?? glyphs["?"]!
                let gx = x + n * advance * scale
                for (r, bits) in rows.enumerated() {
                    for c in 0..<glyphWidth where bits & (1 << (glyphWidth - 1 - c)) != 0 {
                        for dy in 0..<scale {
                            let py = y + r * scale + dy
                            guard py >= 0, py < h else { continue }
                            for dx in 0..<scale {
                                let pxX = gx + c * scale + dx
                                guard pxX >= 0, pxX < w else { continue }
                                let i = (py * w + pxX) * 3
                                px[i] = color.0; px[i + 1] = color.1; px[i + 2] = color.2
                            }
                        }
                    }
                }
            }
        }
    }
}
