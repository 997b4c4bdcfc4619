import Media

/// The regions of a mask over a small grid (a thumbnail): grown by a few cells so the parts of
/// one element (the letters of a caption) join, split into connected components, and their
/// bounding boxes merged where they overlap.
enum MaskRegions {
    /// Bounding boxes (grid cells, `maxX`/`maxY` exclusive) of the components of `mask` (non-zero
    /// cells) after growing it by `grow` cells; components of fewer than `minArea` set cells of
    /// the original mask are noise and dropped.
    static func boxes(_ mask: [UInt8], width w: Int, height h: Int, grow: Int, minArea: Int) -> [PixelRect] {
        guard w > 0, h > 0 else { return [] }
        var grown = mask
        if grow > 0 {
            // Separable max filter: rows then columns.
            var rows = [UInt8](repeating: 0, count: w * h)
            for y in 0..<h {
                for x in 0..<w where mask[y * w + x] != 0 {
                    for xx in max(0, x - grow)...min(w - 1, x + grow) { rows[y * w + xx] = 1 }
                }
            }
            grown = [UInt8](repeating: 0, count: w * h)
            for y in 0..<h {
                for x in 0..<w where rows[y * w + x] != 0 {
                    for yy in max(0, y - grow)...min(h - 1, y + grow) { grown[yy * w + x] = 1 }
                }
            }
        }
        var label = [Int32](repeating: 0, count: w * h)
        var boxes: [PixelRect] = []
        var stack: [Int] = []
        var next: Int32 = 1
        for start in 0..<(w * h) where grown[start] != 0 && label[start] == 0 {
            var x0 = w, y0 = h, x1 = -1, y1 = -1, area = 0
            stack.append(start)
            label[start] = next
            while let p = stack.popLast() {
                let x = p % w, y = p / w
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
                if mask[p] != 0 { area += 1 }
                for dy in -1...1 {
                    let ny = y + dy
                    guard ny >= 0 && ny < h else { continue }
                    for dx in -1...1 {
                        let nx = x + dx
                        guard nx >= 0 && nx < w else { continue }
                        let q = ny * w + nx
                        if grown[q] != 0 && label[q] == 0 { label[q] = next; stack.append(q) }
                    }
                }
            }
            next += 1
            if area >= minArea {
                // Growing spread the box by `grow`; the element itself ends where its cells do.
                let gx0 = min(x0 + grow, x1), gy0 = min(y0 + grow, y1)
                let gx1 = max(x1 - grow, gx0), gy1 = max(y1 - grow, gy0)
                boxes.append(PixelRect(x: gx0, y: gy0, width: gx1 - gx0 + 1, height: gy1 - gy0 + 1))
            }
        }
        return merged(boxes)
    }

    /// Boxes that overlap, merged into their union until none do.
    static func merged(_ input: [PixelRect]) -> [PixelRect] {
        var boxes = input
        var changed = true
        while changed {
            changed = false
            outer: for i in 0..<boxes.count {
                for j in (i + 1)..<boxes.count where boxes[i].intersects(boxes[j]) {
                    boxes[i] = boxes[i].union(boxes[j])
                    boxes.remove(at: j)
                    changed = true
                    break outer
                }
            }
        }
        return boxes.sorted { ($0.y, $0.x) < ($1.y, $1.x) }
    }
}
