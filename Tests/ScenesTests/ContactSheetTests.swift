import Foundation
@testable import Media
import Scenes
import Testing

struct ContactSheetTests {
    static let colours: [(UInt8, UInt8, UInt8)] = [(200, 30, 30), (30, 200, 30), (30, 30, 200), (220, 220, 40), (120, 40, 160)]

    func scenes(_ sizes: [(Int, Int)]) -> [Scene] {
        sizes.enumerated().map { k, size in
            let c = ContactSheetTests.colours[k % ContactSheetTests.colours.count]
            return Scene(index: k + 1, startFrame: k * 90, stopFrame: (k + 1) * 90, start: Double(k) * 3.0 + 0.25,
                         stop: Double(k + 1) * 3.0, image: Image(width: size.0, height: size.1, red: c.0, green: c.1, blue: c.2))
        }
    }

    func pixel(_ image: Image, _ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let i = (y * image.width + x) * 3
        return (image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
    }

    func close(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Bool {
        abs(Int(a.0) - Int(b.0)) <= 1 && abs(Int(a.1) - Int(b.1)) <= 1 && abs(Int(a.2) - Int(b.2)) <= 1
    }

    /// Set pixels of `text` in the font: what a label must paint.
    func inkCount(_ text: String, scale: Int) -> Int {
        text.reduce(0) { sum, ch in
            sum + (BitmapFont.glyphs[ch] ?? BitmapFont.glyphs["?"]!).reduce(0) { $0 + $1.nonzeroBitCount }
        } * scale * scale
    }

    @Test func gridSizeCellsAndLabels() throws {
        let list = scenes(Array(repeating: (64, 36), count: 5))
        let sheet = try ContactSheet(columns: 2, cellWidth: 160).render(list)
        let l = ContactSheet(columns: 2, cellWidth: 160).layout(count: 5, firstWidth: 64, firstHeight: 36)
        #expect(l.columns == 2 && l.rows == 3 && l.cellHeight == 90 && l.fontScale == 1)
        let gap = ContactSheet.gap
        #expect(sheet.width == 2 * 160 + 3 * gap && sheet.height == 3 * (90 + l.labelHeight) + 4 * gap)
        for (k, scene) in list.enumerated() {
            let (x0, y0) = l.origin(k)
            let c = ContactSheetTests.colours[k]
            // The whole cell is the still (same aspect), corners and centre.
            for (x, y) in [(x0, y0), (x0 + 159, y0), (x0, y0 + 89), (x0 + 159, y0 + 89), (x0 + 80, y0 + 45)] {
                #expect(close(pixel(sheet, x, y), c), "cell \(k + 1) at \(x),\(y): \(pixel(sheet, x, y))")
            }
            #expect(close(pixel(sheet, x0 - 1, y0), ContactSheet.background))
            // The label strip: exactly the font's pixels of "#k  0:0s.25" in white.
            var ink = 0
            for y in (y0 + 90)..<(y0 + 90 + l.labelHeight) {
                for x in x0..<(x0 + 160) where pixel(sheet, x, y) == ContactSheet.labelColor { ink += 1 }
            }
            #expect(ContactSheet.label(scene) == "#\(k + 1)  0:" + String(format: "%02d", k * 3) + ".25")
            #expect(ink == inkCount(ContactSheet.label(scene), scale: 1), "label of cell \(k + 1)")
        }
        // The empty sixth cell is background.
        let (x5, y5) = l.origin(5)
        #expect(close(pixel(sheet, x5 + 80, y5 + 45), ContactSheet.background))
    }

    @Test func otherAspectsAreFittedAndCentred() throws {
        // The first still sets the cell (16:9); a square one is pillarboxed.
        let list = scenes([(320, 180), (100, 100)])
        let cs = ContactSheet(columns: 4, cellWidth: 320)
        let sheet = try cs.render(list)
        let l = cs.layout(count: 2, firstWidth: 320, firstHeight: 180)
        #expect(l.columns == 2 && l.fontScale == 2 && sheet.width == 2 * 320 + 3 * ContactSheet.gap)
        let (x1, y1) = l.origin(1)
        #expect(close(pixel(sheet, x1 + 160, y1 + 90), ContactSheetTests.colours[1]))
        #expect(close(pixel(sheet, x1 + 10, y1 + 90), ContactSheet.background))
        #expect(close(pixel(sheet, x1 + 160 - 89, y1 + 90), ContactSheetTests.colours[1]))
        var ink = 0
        for y in (y1 + 180)..<(y1 + 180 + l.labelHeight) {
            for x in x1..<(x1 + 320) where pixel(sheet, x, y) == ContactSheet.labelColor { ink += 1 }
        }
        #expect(ink == inkCount("#2  0:03.25", scale: 2))
    }

    @Test func writesAPNGAndRefusesBadInput() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-sheet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("sheet.png").path
        let list = scenes(Array(repeating: (48, 27), count: 3))
        let sheet = try ContactSheet().write(list, to: path)
        let back = try Image.read(path: path)
        #expect(back.width == sheet.width && back.height == sheet.height && back.pixels == sheet.pixels)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["sheet.png"])
        #expect(throws: MediaError.self) { try ContactSheet().render([]) }
        var noImage = list
        noImage[1].image = nil
        #expect(throws: MediaError.self) { try ContactSheet().render(noImage) }
        #expect(ContactSheet.formatTime(3723.456) == "1:02:03.46" && ContactSheet.formatTime(62.5) == "1:02.50")
    }

    /// The picture rectangle and overlay regions that layout analysis found are outlined, scaled
    /// to the thumbnail; a layout that is the whole frame draws nothing.
    @Test func layoutsAreOutlined() throws {
        var list = scenes([(640, 360), (640, 360)])
        list[0].layout = SceneLayout(frameWidth: 640, frameHeight: 360, picture: PixelRect(x: 0, y: 40, width: 640, height: 280),
                                     background: .bars,
                                     overlays: [.init(region: PixelRect(x: 160, y: 200, width: 320, height: 80), changes: [10])])
        list[1].layout = .full(width: 640, height: 360)
        let sheet = try ContactSheet(columns: 2, cellWidth: 160).render(list)
        let l = ContactSheet(columns: 2, cellWidth: 160).layout(count: 2, firstWidth: 640, firstHeight: 360)
        let (x0, y0) = l.origin(0)
        // Scale 1/4: the picture's top edge at y 10, the overlay's left edge at x 40, its top at y 50.
        #expect(close(pixel(sheet, x0 + 80, y0 + 10), ContactSheet.pictureColor))
        #expect(close(pixel(sheet, x0 + 40, y0 + 60), ContactSheet.overlayColor))
        #expect(close(pixel(sheet, x0 + 80, y0 + 50), ContactSheet.overlayColor))
        #expect(close(pixel(sheet, x0 + 80, y0 + 30), ContactSheetTests.colours[0]))
        let (x1, y1) = l.origin(1)
        for (x, y) in [(0, 0), (80, 0), (0, 40), (159, 89)] {
            #expect(close(pixel(sheet, x1 + x, y1 + y), ContactSheetTests.colours[1]))
        }
    }
}
