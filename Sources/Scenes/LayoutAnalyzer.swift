import Foundation
import Media

/// Finds each scene's `SceneLayout` during detect's one decoding pass. Per frame it keeps a small
/// luma thumbnail and the thumbnail cells that changed at that frame (in a still
/// picture none do, so this is a few bytes per frame); now and then a full-size luma plane to
/// measure the picture's edges on. When a scene ends, the cells that changed within it are its
/// overlays; after the pass, what is the same in most scenes while their pictures differ are the
/// statics.
final class LayoutAnalyzer {
    /// A thumbnail cell changed when its mean luma moved this much: x264's noise on a still
    /// picture, averaged over a cell, stays well below; a caption's edge crossing a cell does not.
    static let changeStep = 20
    /// A frame where more than this share of cells changed is motion (or a cut), not an overlay.
    static let movingShare = 0.25
    /// Source pixels added around an overlay, so its anti-aliased edges are inside it.
    static let overlayPadding = 4
    /// At most this many full-size luma planes are kept for the open scene.
    static let maxSnapshots = 8
    /// Scenes that must agree on a static element: three different pictures agree on a luma
    /// patch by chance too often (lavfi's test pictures did), four did not.
    static let staticScenes = 4
    /// The least luma range (levels) inside a static element.
    static let staticDetail = 24
    /// Changed cells kept for the frames not yet given to a scene, at most: past it they are
    /// forgotten and their frames count as motion (a long scene whose picture moves in part).
    static let maxKeptCells = 2_000_000

    /// What a scene's analysis leaves for the statics (found after the pass).
    struct SceneResult {
        var layout: SceneLayout
        var thumbnail: [UInt8]
        var barLuma: Int?
        /// Where the overlays over the picture are absent (for the clean still).
        var patches: [OverlayAbsence.Patch] = []
    }

    private let thumbnailer = GrayThumbnailer()
    /// Its own converter: one swscale context per size, not remade at every switch.
    private let planes = GrayThumbnailer()
    private var frameW = 0, frameH = 0
    private(set) var thumbW = 0, thumbH = 0
    /// Each cell's value when it last changed.
    private var reference: [UInt8] = []
    private var current: [UInt8] = []
    /// Frame → thumbnail cells that changed since the frame before it (absent: none); nil: motion.
    private var changed: [Int: [Int32]?] = [:]
    private var keptCells = 0
    private struct Snapshot { let index: Int; let width: Int; let height: Int; let luma: [UInt8]; let thumbnail: [UInt8] }
    private var snapshots: [Snapshot] = []
    private var snapshotStride = 8
    private var changedSinceSnapshot = false
    /// The last frame at which thumbnail cells changed (an overlay came, went or changed).
    private var lastCellChange = -1
    private var sceneStart = 0
    private(set) var results: [SceneResult] = []

    init() {}

    /// This thread's CPU seconds spent in `timed` calls.
    private(set) var seconds = 0.0

    func timed<R>(_ body: (LayoutAnalyzer) throws -> R) rethrows -> R {
        func now() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let t0 = now()
        defer { seconds += now() - t0 }
        return try body(self)
    }

    /// Reads frame `index` (in order). `unchanged`: the detector already compared the frame's
    /// source bytes with the previous frame's (nil when it did not).
    func offer(_ frame: Frame, index: Int, unchanged: Bool? = nil) throws {
        if thumbW == 0 {
            frameW = frame.width; frameH = frame.height
            // About 320 cells across, at least a 4x4 block per cell: its mean evens out codec
            // noise (a 2x2 mean of a grainy picture drifts past the threshold as x264 refines).
            let factor = max(4, (frameW + 319) / 320)
            thumbW = max(1, frameW / factor); thumbH = max(1, frameH / factor)
        }
        // Unchanged bytes: the same thumbnail, nothing changed (most frames of a still picture).
        // The detector's word when it has one: the bytes it compared include every luma row it
        // reads; an unchanged frame leaves the kept luma plane as it is (equal already).
        let same = index > 0 && (unchanged == true || (unchanged == nil && thumbnailer.sameLuma(frame)))
        if unchanged == false || (index == 0 && unchanged != nil) { _ = thumbnailer.sameLuma(frame) }
        if !same { try thumbnailer.gray(of: frame, width: thumbW, height: thumbH, into: &current) }
        if !same && index > 0 && reference.count == current.count {
            // Against each cell's value when it last changed, not the previous frame's: a caption
            // that fades in over many frames adds up to a change; codec noise swings and does not.
            var cells: [Int32] = []
            let limit = Int(Double(current.count) * LayoutAnalyzer.movingShare)
            var moving = false
            current.withUnsafeBufferPointer { c in
                reference.withUnsafeMutableBufferPointer { r in
                    for k in 0..<c.count where abs(Int(c[k]) - Int(r[k])) >= LayoutAnalyzer.changeStep {
                        r[k] = c[k]
                        cells.append(Int32(k))
                        if cells.count > limit { moving = true; break }
                    }
                }
            }
            if moving { reference = current }
            if moving { changed[index] = .some(nil) } else if !cells.isEmpty { changed[index] = cells; keptCells += cells.count }
            if moving || !cells.isEmpty { lastCellChange = index }
            if keptCells > LayoutAnalyzer.maxKeptCells {
                for k in changed.keys { changed[k] = .some(nil) }
                keptCells = 0
            }
        }
        if reference.count != current.count { reference = current }
        if !same { changedSinceSnapshot = true }
        let open = snapshots.filter { $0.index >= sceneStart }
        // A frame whose bytes equal the last plane kept needs no copy of its own.
        // Not at a change itself but a few frames on: a fade has settled, and the plane shows
        // the overlay's new state whole (what `OverlayAbsence` compares).
        let settled = index - lastCellChange >= OverlayAbsence.settleFrames
        if open.isEmpty || (changedSinceSnapshot && settled && index - open.last!.index >= snapshotStride) {
            changedSinceSnapshot = false
            var luma: [UInt8] = []
            if let plane = thumbnailer.lastLumaPlane, plane.width == frame.width, plane.height == frame.height {
                luma = plane.luma   // shares the bytes until `sameLuma` next writes them
            } else {
                try planes.gray(of: frame, width: frame.width, height: frame.height, into: &luma)
            }
            snapshots.append(Snapshot(index: index, width: frame.width, height: frame.height, luma: luma, thumbnail: current))
            // Keep a bounded, evenly spread set: drop every other one, and take them half as often.
            if snapshots.count > LayoutAnalyzer.maxSnapshots {
                snapshots = snapshots.enumerated().filter { $0.offset % 2 == 0 || $0.offset == snapshots.count - 1 }.map(\.element)
                snapshotStride *= 2
            }
        }
    }

    /// The open scene is frames `[sceneStart, cut)`: its layout. `middle` is its middle frame, whose
    /// pixels `fallback` makes (RGB) when no luma plane was kept inside the scene.
    func sceneEnds(before cut: Int, middle: Int, fallback: () throws -> Image?) throws {
        let start = sceneStart
        sceneStart = cut
        defer {
            snapshots.removeAll { $0.index < cut }
            snapshotStride = 8
            changed = changed.filter { $0.key > cut }
            keptCells = changed.values.reduce(0) { $0 + ($1?.count ?? 0) }
        }
        guard thumbW > 0 else { return }
        let cells = thumbW * thumbH
        // Cells that changed inside the scene (the change at its first frame is the cut itself).
        var mask = [UInt8](repeating: 0, count: cells)
        var transitions: [(frame: Int, cells: [Int32])] = []
        var movingFrames = 0
        if cut > start + 1 {
            for f in (start + 1)..<cut {
                guard let entry = changed[f] else { continue }
                guard let list = entry else { movingFrames += 1; continue }
                transitions.append((f, list))
                for k in list { mask[Int(k)] = 1 }
            }
        }
        let fx = Double(frameW) / Double(thumbW), fy = Double(frameH) / Double(thumbH)
        var overlays: [SceneLayout.Overlay] = []
        // A scene that moves throughout is not a still with overlays: nothing to tell apart.
        if movingFrames * 10 <= (cut - start) {
            for box in MaskRegions.boxes(mask, width: thumbW, height: thumbH, grow: 2, minArea: 4) {
                var changes: [Int] = []
                for t in transitions {
                    var n = 0
                    for k in t.cells where box.contains(x: Int(k) % thumbW, y: Int(k) / thumbW) { n += 1; if n >= 2 { break } }
                    if n >= 2 || (n >= 1 && box.width * box.height <= 2) { changes.append(t.frame) }
                }
                guard !changes.isEmpty else { continue }
                overlays.append(SceneLayout.Overlay(region: sourceRect(box, fx, fy, pad: LayoutAnalyzer.overlayPadding), changes: changes))
            }
        }
        overlays = LayoutAnalyzer.joined(overlays)
        // The kept luma plane nearest the middle of the scene; else the middle still itself.
        let inScene = snapshots.filter { $0.index >= start && $0.index < cut }
        var plane: (w: Int, h: Int, luma: [UInt8], thumbnail: [UInt8])?
        if let s = inScene.min(by: { abs($0.index - middle) < abs($1.index - middle) }) {
            plane = (s.width, s.height, s.luma, s.thumbnail)
        } else if let image = try fallback() {
            let wasDeferred = image.isDeferred
            try image.load()
            let luma = LayoutAnalyzer.luma(of: image)
            if wasDeferred { image.unload() }
            plane = (image.width, image.height, luma, LayoutAnalyzer.shrink(luma, image.width, image.height, thumbW, thumbH))
        }
        guard let plane else {
            results.append(SceneResult(layout: .full(width: frameW, height: frameH), thumbnail: [], barLuma: nil))
            return
        }
        let found = PictureFinder(luma: plane.luma, width: plane.w, height: plane.h, ignoring: overlays.map(\.region)).find()
        let layout = SceneLayout(frameWidth: plane.w, frameHeight: plane.h, picture: found.picture, background: found.background,
                                 overlays: overlays)
        let planes = inScene.filter { $0.width == plane.w && $0.height == plane.h }.map { OverlayAbsence.Plane(frame: $0.index, luma: $0.luma) }
        let patches = OverlayAbsence.patches(overlays: overlays, picture: found.picture, width: plane.w, height: plane.h,
                                             planes: planes, middle: middle)
        results.append(SceneResult(layout: layout, thumbnail: plane.thumbnail, barLuma: found.barLuma, patches: patches))
    }

    /// Overlays that change at the same frames and lie within a line's height of each other are
    /// one (the words of a caption).
    static func joined(_ input: [SceneLayout.Overlay]) -> [SceneLayout.Overlay] {
        var list = input
        var merged = true
        while merged {
            merged = false
            outer: for i in 0..<list.count {
                for j in (i + 1)..<list.count where list[i].changes == list[j].changes {
                    let a = list[i].region, b = list[j].region
                    let gap = max(a.height, b.height)
                    if a.padded(gap, width: Int.max / 4, height: Int.max / 4).intersects(b) || a.intersects(b) {
                        list[i].region = a.union(b)
                        list.remove(at: j)
                        merged = true
                        break outer
                    }
                }
            }
        }
        return list.sorted { ($0.region.y, $0.region.x) < ($1.region.y, $1.region.x) }
    }

    /// A thumbnail box in source pixels, padded, inside the frame.
    private func sourceRect(_ box: PixelRect, _ fx: Double, _ fy: Double, pad: Int) -> PixelRect {
        let x0 = Int((Double(box.x) * fx).rounded(.down)), y0 = Int((Double(box.y) * fy).rounded(.down))
        let x1 = Int((Double(box.maxX) * fx).rounded(.up)), y1 = Int((Double(box.maxY) * fy).rounded(.up))
        return PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0).padded(pad, width: frameW, height: frameH)
    }

    /// After the pass: the statics, cells near-equal in most scenes (`staticScenes` at least) while the pictures
    /// differ, put in the layouts of the scenes that show them. Composition pastes a static's
    /// source pixels unmoved over the animated picture, so a false one shows as a frozen patch:
    /// hence some detail inside, or a patch that stands out from what is around it in most
    /// scenes (a solid logo); a flat patch of equal luma in different pictures, inside an area
    /// of the same luma (which lavfi's test pictures showed often), is no element.
    func layouts() -> [SceneLayout] {
        var layouts = results.map(\.layout)
        let usable = results.indices.filter { results[$0].thumbnail.count == thumbW * thumbH }
        let n = usable.count
        guard n >= LayoutAnalyzer.staticScenes, thumbW > 0 else { return layouts }
        let need = max(LayoutAnalyzer.staticScenes, Int((0.8 * Double(n)).rounded(.up)))
        let cells = thumbW * thumbH
        let tol = 12
        var mask = [UInt8](repeating: 0, count: cells)
        var medians = [UInt8](repeating: 0, count: cells)
        let fx = Double(frameW) / Double(thumbW), fy = Double(frameH) / Double(thumbH)
        // Cell rectangles of each scene's picture, to tell a bar (background) cell from a logo.
        let pictures = usable.map { k -> PixelRect in
            let p = results[k].layout.picture
            return PixelRect(x: Int(Double(p.x) / fx), y: Int(Double(p.y) / fy),
                             width: Int(Double(p.width) / fx), height: Int(Double(p.height) / fy))
        }
        var values = [UInt8](repeating: 0, count: n)
        for c in 0..<cells {
            for (j, k) in usable.enumerated() { values[j] = results[k].thumbnail[c] }
            let m = Int(values.sorted()[n / 2])
            medians[c] = UInt8(m)
            var agree = 0, background = 0
            for (j, k) in usable.enumerated() where abs(Int(values[j]) - m) <= tol {
                agree += 1
                // A bar cell is the same in every letterboxed scene: that is no static element.
                if let bar = results[k].barLuma, !pictures[j].contains(x: c % thumbW, y: c / thumbW), abs(Int(values[j]) - bar) <= tol {
                    background += 1
                }
            }
            if agree >= need && background < agree { mask[c] = 1 }
        }
        // Pictures that are the same everywhere (one still used throughout) have no statics to tell.
        let total = mask.reduce(0) { $0 + Int($1) }
        guard total * 3 < cells else { return layouts }
        for box in MaskRegions.boxes(mask, width: thumbW, height: thumbH, grow: 1, minArea: 4) where box.width * box.height * 4 < cells {
            var lo = 255, hi = 0
            for y in box.y..<box.maxY {
                for x in box.x..<box.maxX where mask[y * thumbW + x] != 0 {
                    lo = min(lo, Int(medians[y * thumbW + x])); hi = max(hi, Int(medians[y * thumbW + x]))
                }
            }
            guard hi - lo >= LayoutAnalyzer.staticDetail || standsOut(box, usable) else { continue }
            let region = sourceRect(box, fx, fy, pad: LayoutAnalyzer.overlayPadding)
            for k in usable {
                var same = 0, count = 0
                for y in box.y..<box.maxY {
                    for x in box.x..<box.maxX where mask[y * thumbW + x] != 0 {
                        count += 1
                        if abs(Int(results[k].thumbnail[y * thumbW + x]) - Int(medians[y * thumbW + x])) <= tol { same += 1 }
                    }
                }
                if count > 0 && same * 5 >= count * 4 { layouts[k].statics.append(region) }
            }
        }
        return layouts
    }

    /// Whether `box` (thumbnail cells) differs in mean luma from the ring of cells around it by
    /// `staticDetail` / 2 levels in most of the scenes.
    func standsOut(_ box: PixelRect, _ scenes: [Int]) -> Bool {
        var standing = 0
        for k in scenes {
            let t = results[k].thumbnail
            var inside = 0, insideN = 0, ring = 0, ringN = 0
            for y in max(0, box.y - 1)..<min(thumbH, box.maxY + 1) {
                for x in max(0, box.x - 1)..<min(thumbW, box.maxX + 1) {
                    if box.contains(x: x, y: y) { inside += Int(t[y * thumbW + x]); insideN += 1 } else { ring += Int(t[y * thumbW + x]); ringN += 1 }
                }
            }
            guard insideN > 0, ringN > 0 else { continue }
            if abs(inside / insideN - ring / ringN) >= LayoutAnalyzer.staticDetail / 2 { standing += 1 }
        }
        return standing * 2 > scenes.count
    }

    /// Rec. 601 luma of an RGB picture (near enough to the decoder's Y for edges and bars).
    static func luma(of image: Image) -> [UInt8] {
        let px = image.pixels
        var out = [UInt8](repeating: 0, count: image.width * image.height)
        for i in 0..<out.count {
            let r = Int(px[3 * i]), g = Int(px[3 * i + 1]), b = Int(px[3 * i + 2])
            out[i] = UInt8((77 * r + 150 * g + 29 * b) >> 8)
        }
        return out
    }

    /// `luma` (`w`x`h`) averaged down to `tw`x`th`.
    static func shrink(_ luma: [UInt8], _ w: Int, _ h: Int, _ tw: Int, _ th: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: tw * th)
        for ty in 0..<th {
            let y0 = ty * h / th, y1 = max(y0 + 1, (ty + 1) * h / th)
            for tx in 0..<tw {
                let x0 = tx * w / tw, x1 = max(x0 + 1, (tx + 1) * w / tw)
                var sum = 0
                for y in y0..<y1 { for x in x0..<x1 { sum += Int(luma[y * w + x]) } }
                out[ty * tw + tx] = UInt8(sum / ((y1 - y0) * (x1 - x0)))
            }
        }
        return out
    }
}
