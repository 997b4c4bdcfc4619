import Foundation
import Media

/// A grid of the scenes' stills for a person to look at: each cell the still fitted (aspect kept,
/// centred) into `cellWidth` pixels, above a strip with its index and start time, drawn with the
/// built-in bitmap font.
public struct ContactSheet: Sendable {
    public static let defaultColumns = 4
    public static let defaultCellWidth = 320
    public static let columnRange = 1...64
    public static let cellWidthRange = 120...4096   // the widest label ("#1234  1:02:03.00") fits
    /// The largest sheet side FFmpeg's PNG encoder and a viewer are asked to take.
    public static let maxSide = 32768

    /// Space around and between cells, and the background and label colours.
    public static let gap = 8
    public static let background: (UInt8, UInt8, UInt8) = (24, 24, 24)
    public static let labelColor: (UInt8, UInt8, UInt8) = (255, 255, 255)
    /// Outlines of what layout analysis found: the picture, overlays, statics.
    public static let pictureColor: (UInt8, UInt8, UInt8) = (0, 255, 0)
    public static let overlayColor: (UInt8, UInt8, UInt8) = (255, 0, 255)
    public static let staticColor: (UInt8, UInt8, UInt8) = (0, 255, 255)

    public var columns = ContactSheet.defaultColumns
    public var cellWidth = ContactSheet.defaultCellWidth

    public init(columns: Int = ContactSheet.defaultColumns, cellWidth: Int = ContactSheet.defaultCellWidth) {
        self.columns = columns
        self.cellWidth = cellWidth
    }

    /// The geometry for `count` stills whose first is `first` (cells take its aspect).
    public struct Layout: Sendable, Equatable {
        public let columns, rows, cellWidth, cellHeight, labelHeight, fontScale: Int
        public var width: Int { columns * cellWidth + (columns + 1) * ContactSheet.gap }
        public var height: Int { rows * (cellHeight + labelHeight) + (rows + 1) * ContactSheet.gap }
        /// The top-left corner of cell `k`'s picture (its label strip lies below it).
        public func origin(_ k: Int) -> (x: Int, y: Int) {
            let c = k % columns, r = k / columns
            return (ContactSheet.gap + c * (cellWidth + ContactSheet.gap), ContactSheet.gap + r * (cellHeight + labelHeight + ContactSheet.gap))
        }
    }

    public func layout(count: Int, firstWidth: Int, firstHeight: Int) -> Layout {
        let cols = max(1, min(columns, count))
        let cellHeight = max(1, Int((Double(cellWidth) * Double(firstHeight) / Double(firstWidth)).rounded()))
        let scale = max(1, cellWidth / 160)
        let labelHeight = BitmapFont.glyphHeight * scale + 2 * max(2, 2 * scale)
        return Layout(columns: cols, rows: (count + cols - 1) / cols, cellWidth: cellWidth, cellHeight: cellHeight,
                      labelHeight: labelHeight, fontScale: scale)
    }

    /// `#3  1:02.50`: the scene's index and start time.
    public static func label(_ scene: Scene) -> String { "#\(scene.index)  " + formatTime(scene.start) }

    /// `0:03.00`, `12:34.56`, `1:02:03.00`.
    public static func formatTime(_ seconds: Double) -> String {
        let centis = Int((max(0, seconds) * 100).rounded())
        let h = centis / 360_000, m = centis / 6000 % 60, s = centis / 100 % 60, c = centis % 100
        let tail = String(format: "%02d.%02d", s, c)
        return h > 0 ? String(format: "%d:%02d:", h, m) + tail : "\(m):" + tail
    }

    /// The sheet as an Image. Every scene needs its still.
    public func render(_ scenes: [Scene]) throws -> Image {
        guard let first = scenes.first else { throw MediaError("no scenes to put on a contact sheet") }
        for s in scenes where s.image == nil { throw MediaError("scene \(s.index) has no image") }
        let l = layout(count: scenes.count, firstWidth: first.image!.width, firstHeight: first.image!.height)
        guard l.width <= ContactSheet.maxSide, l.height <= ContactSheet.maxSide else {
            throw MediaError("a contact sheet of \(scenes.count) scenes would be \(l.width)x\(l.height) pixels (at most \(ContactSheet.maxSide) a side): use fewer columns or a smaller width")
        }
        let bg = ContactSheet.background
        let sheet = Image(width: l.width, height: l.height, red: bg.0, green: bg.1, blue: bg.2)
        for (k, scene) in scenes.enumerated() {
            let still = scene.image!
            let wasDeferred = still.isDeferred
            try still.load()
            defer { if wasDeferred { still.unload() } }
            // Fit inside the cell, aspect kept.
            let fit = min(Double(l.cellWidth) / Double(still.width), Double(l.cellHeight) / Double(still.height))
            let w = max(1, min(l.cellWidth, Int((Double(still.width) * fit).rounded())))
            let h = max(1, min(l.cellHeight, Int((Double(still.height) * fit).rounded())))
            let small = still.resized(width: w, height: h)
            let (x0, y0) = l.origin(k)
            let ox = x0 + (l.cellWidth - w) / 2, oy = y0 + (l.cellHeight - h) / 2
            sheet.pixels.withUnsafeMutableBufferPointer { dst in
                small.pixels.withUnsafeBufferPointer { src in
                    for y in 0..<h {
                        (dst.baseAddress! + ((oy + y) * l.width + ox) * 3).update(from: src.baseAddress! + y * w * 3, count: w * 3)
                    }
                }
            }
            if let layout = scene.layout {
                ContactSheet.outline(layout, on: sheet, x: ox, y: oy, width: w, height: h)
            }
            let pad = (l.labelHeight - BitmapFont.glyphHeight * l.fontScale) / 2
            BitmapFont.draw(ContactSheet.label(scene), into: sheet, x: x0 + pad, y: y0 + l.cellHeight + pad,
                            scale: l.fontScale, color: ContactSheet.labelColor)
        }
        return sheet
    }

    /// Draws `layout`'s rectangles, scaled from its frame to the `width`x`height` thumbnail at
    /// (`x`, `y`) of `sheet`, as 1-pixel outlines: the picture (when not the whole frame), then
    /// statics and overlays over it.
    static func outline(_ layout: SceneLayout, on sheet: Image, x: Int, y: Int, width: Int, height: Int) {
        let sx = Double(width) / Double(layout.frameWidth), sy = Double(height) / Double(layout.frameHeight)
        var boxes: [(PixelRect, (UInt8, UInt8, UInt8))] = []
        if layout.picture != PixelRect(x: 0, y: 0, width: layout.frameWidth, height: layout.frameHeight) {
            boxes.append((layout.picture, pictureColor))
        }
        boxes += layout.statics.map { ($0, staticColor) }
        boxes += layout.overlays.map { ($0.region, overlayColor) }
        let sw = sheet.width
        sheet.pixels.withUnsafeMutableBufferPointer { px in
            func put(_ cx: Int, _ cy: Int, _ c: (UInt8, UInt8, UInt8)) {
                let i = ((y + cy) * sw + x + cx) * 3
                px[i] = c.0; px[i + 1] = c.1; px[i + 2] = c.2
            }
            for (r, c) in boxes {
                let x0 = max(0, min(width - 1, Int(Double(r.x) * sx))), x1 = max(0, min(width - 1, Int(Double(r.maxX) * sx) - 1))
                let y0 = max(0, min(height - 1, Int(Double(r.y) * sy))), y1 = max(0, min(height - 1, Int(Double(r.maxY) * sy) - 1))
                for cx in x0...max(x0, x1) { put(cx, y0, c); put(cx, y1, c) }
                for cy in y0...max(y0, y1) { put(x0, cy, c); put(x1, cy, c) }
            }
        }
    }

    /// Renders and writes the sheet as PNG (to a temporary name, then renamed).
    @discardableResult
    public func write(_ scenes: [Scene], to path: String) throws -> Image {
        let sheet = try render(scenes)
        try sheet.writePNG(to: path)
        return sheet
    }
}
