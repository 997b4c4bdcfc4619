import Media

/// Where the picture lies in a full-size luma frame: solid bars scanned from each edge
/// (`.bars`), else a low-detail surround around a detailed picture (`.fill`), else the whole
/// frame. Pixels inside `ignoring` (the scene's overlays) are left out of every measure, so a
/// caption over a bar does not end the bar.
struct PictureFinder {
    let luma: [UInt8]
    let width: Int
    let height: Int
    let ignoring: [PixelRect]

    /// x264 leaves a few levels of noise on a flat bar, more right beside a sharp edge.
    static let barTolerance = 12
    /// A row or column is a bar when this share of its known pixels is the bar's colour (a logo
    /// or caption over the bar may take the rest).
    static let barShare = 0.8
    /// A luma step this big is detail; a blurred fill (boxblur, gaussian) has none.
    static let detailStep = 16

    /// 1 where a pixel is under an overlay; empty when there is none.
    private let mask: [UInt8]

    init(luma: [UInt8], width: Int, height: Int, ignoring: [PixelRect]) {
        self.luma = luma; self.width = width; self.height = height; self.ignoring = ignoring
        var m: [UInt8] = []
        if !ignoring.isEmpty {
            m = [UInt8](repeating: 0, count: width * height)
            for r in ignoring {
                let c = r.intersection(PixelRect(x: 0, y: 0, width: width, height: height))
                guard !c.isEmpty else { continue }
                for y in c.y..<c.maxY { for x in c.x..<c.maxX { m[y * width + x] = 1 } }
            }
        }
        mask = m
    }

    struct Found { var picture: PixelRect; var background: SceneLayout.Background; var barLuma: Int? }

    func find() -> Found {
        if let bars = findBars() { return bars }
        if let fill = findFill() { return Found(picture: fill, background: .fill, barLuma: nil) }
        return Found(picture: PixelRect(x: 0, y: 0, width: width, height: height), background: .none, barLuma: nil)
    }

    private func ignored(_ x: Int, _ y: Int) -> Bool { !mask.isEmpty && mask[y * width + x] != 0 }

    /// The line's pixels that no overlay covers: `count` of them at `start + k*step`.
    private func isBar(start: Int, step: Int, count: Int, fixed: (Int) -> (Int, Int), colour: Int) -> Bool {
        var known = 0, same = 0
        for k in 0..<count {
            let (x, y) = fixed(k)
            if ignored(x, y) { continue }
            known += 1
            if abs(Int(luma[start + k * step]) - colour) <= PictureFinder.barTolerance { same += 1 }
        }
        // A line mostly under an overlay says nothing: it ends the bar rather than extend it.
        guard known * 10 >= count * 3 else { return false }
        return Double(same) >= PictureFinder.barShare * Double(known)
    }

    /// Near-black: what letterboxing pads with.
    static let blackLuma = 32

    /// Opposite bars as found, or 0 where they are not bars: a solid block at one edge of a
    /// picture (testsrc's red column, a smooth fill's edge) looks like a bar, but real bars are
    /// black, or come in pairs of one colour and about one thickness (the picture centred).
    static func pair(_ a: Int, _ ca: Int, _ b: Int, _ cb: Int, min: Int) -> (Int, Int) {
        let a = a >= min ? a : 0, b = b >= min ? b : 0
        let paired = a > 0 && b > 0 && abs(ca - cb) <= barTolerance && abs(a - b) <= Swift.max(4, Swift.max(a, b) / 8)
        if paired { return (a, b) }
        return (a > 0 && ca <= blackLuma ? a : 0, b > 0 && cb <= blackLuma ? b : 0)
    }

    private func median(_ values: [UInt8]) -> Int { Int(values.sorted()[values.count / 2]) }

    private func findBars() -> Found? {
        let w = width, h = height
        let minBar = max(4, min(w, h) / 100)
        // Each side's colour is its outermost line's median (a corner logo leaves it alone).
        let topC = median(Array(luma[0..<w])), botC = median(Array(luma[(h - 1) * w..<h * w]))
        var top = 0, bottom = 0
        while top < h / 2 && isBar(start: top * w, step: 1, count: w, fixed: { ($0, top) }, colour: topC) { top += 1 }
        while bottom < h / 2 && isBar(start: (h - 1 - bottom) * w, step: 1, count: w, fixed: { ($0, h - 1 - bottom) }, colour: botC) { bottom += 1 }
        (top, bottom) = PictureFinder.pair(top, topC, bottom, botC, min: minBar)
        let rows = h - top - bottom
        guard rows > 0 else { return nil }
        let leftC = median((top..<(h - bottom)).map { luma[$0 * w] })
        let rightC = median((top..<(h - bottom)).map { luma[$0 * w + w - 1] })
        var left = 0, right = 0
        while left < w / 2 && isBar(start: top * w + left, step: w, count: rows, fixed: { (left, top + $0) }, colour: leftC) { left += 1 }
        while right < w / 2 && isBar(start: top * w + w - 1 - right, step: w, count: rows, fixed: { (w - 1 - right, top + $0) }, colour: rightC) { right += 1 }
        (left, right) = PictureFinder.pair(left, leftC, right, rightC, min: minBar)
        guard top + bottom + left + right > 0 else { return nil }
        let picture = PixelRect(x: left, y: top, width: w - left - right, height: rows)
        guard picture.width * 10 >= w, picture.height * 10 >= h else { return nil }
        let colours = [(top, topC), (bottom, botC), (left, leftC), (right, rightC)].filter { $0.0 > 0 }.map(\.1)
        return Found(picture: picture, background: .bars, barLuma: colours.first)
    }

    /// The first column (row) of the picture near `guess`, `inside` the direction into it: the
    /// line within a few pixels whose step from its outer neighbour, summed over `from...to`, is
    /// largest (`guess` when the frame's edge leaves no outer neighbour).
    private func edge(near guess: Int, inside: Int, columns: Bool, from: Int, to: Int) -> Int {
        let w = width, limit = columns ? width : height
        // A picture that reaches the frame's edge ends there.
        if guess <= 0 || guess >= limit - 1 { return guess }
        var best = guess, bestSum = -1
        for c in (guess - 4)...(guess + 4) {
            let outer = c - inside
            guard c >= 0, c < limit, outer >= 0, outer < limit, from <= to else { continue }
            var sum = 0
            for k in from...to {
                let a = columns ? luma[k * w + c] : luma[c * w + k]
                let o = columns ? luma[k * w + outer] : luma[outer * w + k]
                sum += abs(Int(a) - Int(o))
            }
            if sum > bestSum { bestSum = sum; best = c }
        }
        return best
    }

    /// The columns, then the rows within them, that hold detail; a fill when they leave a margin.
    private func findFill() -> PixelRect? {
        let w = width, h = height, step = PictureFinder.detailStep
        guard w > 2, h > 2 else { return nil }
        // Detail along a line (steps down a column), or a sharp edge beside it along most of
        // the frame: a flat area of the picture (a colour bar) still ends sharply against the
        // fill, while a logo over the fill is short and has few steps.
        var columnDetail = [Int](repeating: 0, count: w), columnEdge = [Int](repeating: 0, count: w)
        for y in 0..<(h - 1) {
            let r = y * w
            for x in 0..<w where !ignored(x, y) {
                let c = Int(luma[r + x])
                if abs(Int(luma[r + x + w]) - c) >= step { columnDetail[x] += 1 }
                if (x > 0 && abs(Int(luma[r + x - 1]) - c) >= step) || (x < w - 1 && abs(Int(luma[r + x + 1]) - c) >= step) {
                    columnEdge[x] += 1
                }
            }
        }
        let need = max(3, h / 200)
        let isColumn = (0..<w).map { columnDetail[$0] >= need || columnEdge[$0] * 2 >= h }
        guard let left = isColumn.firstIndex(of: true), let right = isColumn.lastIndex(of: true) else { return nil }
        var rowDetail = [Int](repeating: 0, count: h), rowEdge = [Int](repeating: 0, count: h)
        for y in 0..<h {
            let r = y * w
            for x in left..<max(left, right) where !ignored(x, y) {
                let c = Int(luma[r + x])
                if abs(Int(luma[r + x + 1]) - c) >= step { rowDetail[y] += 1 }
                if (y > 0 && abs(Int(luma[r + x - w]) - c) >= step) || (y < h - 1 && abs(Int(luma[r + x + w]) - c) >= step) {
                    rowEdge[y] += 1
                }
            }
        }
        let needRow = max(3, (right - left) / 200)
        let isRow = (0..<h).map { rowDetail[$0] >= needRow || rowEdge[$0] * 2 >= right - left }
        guard let top = isRow.firstIndex(of: true), let bottom = isRow.lastIndex(of: true) else { return nil }
        let margin = max(8, min(w, h) / 50)
        // Detail says roughly where the picture is; its edge is the strongest step across the
        // boundary nearby (a sharp picture against its own blur).
        let l = edge(near: left, inside: +1, columns: true, from: top, to: bottom)
        let r = edge(near: right, inside: -1, columns: true, from: top, to: bottom)
        let t = edge(near: top, inside: +1, columns: false, from: l, to: r)
        let b = edge(near: bottom, inside: -1, columns: false, from: l, to: r)
        // A fill surrounds a centred picture: margins come in pairs of about one size; a single
        // low-detail side is the picture's own flat area.
        func paired(_ a: Int, _ b: Int) -> Bool { a >= margin && b >= margin && abs(a - b) <= max(4, max(a, b) / 8) }
        let across = paired(l, w - 1 - r), down = paired(t, h - 1 - b)
        guard across || down else { return nil }
        let rect = across ? PixelRect(x: l, y: 0, width: r - l + 1, height: h) : PixelRect(x: 0, y: 0, width: w, height: h)
        let picture = down ? PixelRect(x: rect.x, y: t, width: rect.width, height: b - t + 1) : rect
        guard picture.width * 10 >= w, picture.height * 10 >= h else { return nil }
        return picture
    }
}
