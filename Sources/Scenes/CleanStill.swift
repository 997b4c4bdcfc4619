import Media

/// A scene's still without what was drawn over its picture: an overlay inside the picture takes
/// the pixels of a frame of the scene where it is absent (`OverlayAbsence`), or keeps the
/// still's own when the still shows it absent; the other overlays and the statics are filled
/// from the picture around them (each row and column blended between the pixels just outside
/// the region, a Coons patch). Then the picture is cut out. Both are
/// deferred: made from the (deferred) middle frame when first read, so a thousand scenes hold no
/// full-size pixels until asked.
enum CleanStill {
    /// The whole frame, overlays and statics inside the picture taken from `patches` (a region
    /// and the frame that shows the picture there; nil: the still does) or filled.
    static func clean(_ still: Image, layout: SceneLayout, patches: [(region: PixelRect, image: Image?)] = []) -> Image {
        let taken = patches.filter { p in p.image.map { $0.width == still.width && $0.height == still.height } ?? true }
        let regions = (layout.overlays.map(\.region) + layout.statics)
            .map { $0.intersection(layout.picture) }
            .filter { r in !r.isEmpty && !taken.contains { $0.region == r } }
        let copies = taken.compactMap { p in p.image.map { (p.region, $0) } }
        guard !regions.isEmpty || !copies.isEmpty else { return still }
        return Image(width: still.width, height: still.height, deferred: {
            var px = try pixels(of: still)
            for (r, frame) in copies { copy(r, from: try pixels(of: frame), into: &px, width: still.width) }
            for r in regions { fill(&px, width: still.width, rect: r, within: layout.picture) }
            return px
        })
    }

    /// An image's pixels, leaving a deferred one as deferred as it was.
    private static func pixels(of image: Image) throws -> [UInt8] {
        let wasDeferred = image.isDeferred
        try image.load()
        defer { if wasDeferred { image.unload() } }
        return image.pixels
    }

    /// `rect` of `src` into `px` (both RGB, `width` wide).
    static func copy(_ r: PixelRect, from src: [UInt8], into px: inout [UInt8], width w: Int) {
        for y in r.y..<r.maxY {
            let s = (y * w + r.x) * 3
            px.replaceSubrange(s..<s + r.width * 3, with: src[s..<s + r.width * 3])
        }
    }

    /// `clean` cut to the picture's rectangle (`clean` itself when that is the whole frame).
    static func picture(_ clean: Image, rect: PixelRect) -> Image {
        let r = rect.intersection(PixelRect(x: 0, y: 0, width: clean.width, height: clean.height))
        if r == PixelRect(x: 0, y: 0, width: clean.width, height: clean.height) || r.isEmpty { return clean }
        return Image(width: r.width, height: r.height, deferred: {
            let wasDeferred = clean.isDeferred
            try clean.load()
            defer { if wasDeferred { clean.unload() } }
            let src = clean.pixels
            var out = [UInt8](repeating: 0, count: r.width * r.height * 3)
            for y in 0..<r.height {
                let s = ((r.y + y) * clean.width + r.x) * 3
                out.replaceSubrange(y * r.width * 3..<(y + 1) * r.width * 3, with: src[s..<s + r.width * 3])
            }
            return out
        })
    }

    /// Fills `rect` of an RGB picture from the pixels just outside it that lie in `within`.
    static func fill(_ px: inout [UInt8], width w: Int, rect: PixelRect, within: PixelRect) {
        let hasLeft = rect.x - 1 >= within.x, hasRight = rect.maxX < within.maxX
        let hasTop = rect.y - 1 >= within.y, hasBottom = rect.maxY < within.maxY
        guard hasLeft || hasRight || hasTop || hasBottom else { return }
        let src = px
        func at(_ x: Int, _ y: Int, _ c: Int) -> Double { Double(src[(y * w + x) * 3 + c]) }
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX {
                let u = Double(x - rect.x + 1) / Double(rect.width + 1)
                let v = Double(y - rect.y + 1) / Double(rect.height + 1)
                for c in 0..<3 {
                    var across: Double?
                    switch (hasLeft, hasRight) {
                    case (true, true): across = (1 - u) * at(rect.x - 1, y, c) + u * at(rect.maxX, y, c)
                    case (true, false): across = at(rect.x - 1, y, c)
                    case (false, true): across = at(rect.maxX, y, c)
                    default: across = nil
                    }
                    var down: Double?
                    switch (hasTop, hasBottom) {
                    case (true, true): down = (1 - v) * at(x, rect.y - 1, c) + v * at(x, rect.maxY, c)
                    case (true, false): down = at(x, rect.y - 1, c)
                    case (false, true): down = at(x, rect.maxY, c)
                    default: down = nil
                    }
                    let value = across.map { a in down.map { (a + $0) / 2 } ?? a } ?? down!
                    px[(y * w + x) * 3 + c] = UInt8(max(0, min(255, value.rounded())))
                }
            }
        }
    }
}
