extension Image {
    /// A copy of the pixels inside `r` (clipped to the picture; nil when nothing is left): what a
    /// motion source animates when the picture is a rectangle of the frame.
    public func region(_ r: PixelRect) -> Image? {
        let x0 = max(0, r.x), y0 = max(0, r.y), x1 = min(width, r.maxX), y1 = min(height, r.maxY)
        guard x1 > x0, y1 > y0 else { return nil }
        let w = x1 - x0, src = pixels
        var out = [UInt8](repeating: 0, count: w * (y1 - y0) * 3)
        for y in y0..<y1 {
            let s = (y * width + x0) * 3
            out.replaceSubrange((y - y0) * w * 3..<(y - y0 + 1) * w * 3, with: src[s..<s + w * 3])
        }
        return Image(width: w, height: y1 - y0, pixels: out)
    }
}
