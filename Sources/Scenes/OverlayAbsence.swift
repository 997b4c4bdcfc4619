import Media

/// Where in a scene an overlay is absent, so the clean still can take the picture's own pixels
/// there instead of filling them in. An overlay's content is constant between its change frames
/// (its states); the kept luma planes show some of them. Subtitles come and go: the state that
/// recurs in states that are not neighbours (caption, gap, caption, gap) is the picture — two
/// different captions do not recur, and a caption that stays on all scene has no such state (it
/// is filled in, as before). A banner that comes back with the same text within one scene would
/// recur too; of recurring states the one with the least detail (text is edges) is taken.
enum OverlayAbsence {
    struct Patch: Equatable {
        /// The overlay's region inside the picture.
        var region: PixelRect
        /// A frame of the scene where the overlay is absent.
        var frame: Int
        /// The middle frame (the still) shows the overlay absent too: its own pixels are right.
        var middleIsAbsent: Bool
    }

    /// Two luma planes show the same content in a region when their mean difference is below this
    /// (x264's noise on a still picture stays well under it; a caption's strokes do not).
    static let sameContent = 3.0
    /// Frames after a change that may still be mid-fade.
    static let settleFrames = 3

    /// A luma plane kept during the scene: its frame and pixels (`width`x`height` of the frame).
    struct Plane {
        let frame: Int
        let luma: [UInt8]
    }

    static func patches(overlays: [SceneLayout.Overlay], picture: PixelRect, width w: Int, height h: Int,
                        planes: [Plane], middle: Int) -> [Patch] {
        var out: [Patch] = []
        for o in overlays {
            let r = o.region.intersection(picture)
            guard !r.isEmpty, r.maxX <= w, r.maxY <= h else { continue }
            func state(_ f: Int) -> Int { o.changes.filter { $0 <= f }.count }
            func settled(_ f: Int) -> Bool { o.changes.allSatisfy { f < $0 || f - $0 >= settleFrames } }
            let stable = planes.filter { settled($0.frame) && $0.luma.count == w * h }
            // Planes of states that are not neighbours, with the same content in the region.
            var recurring: [Plane] = []
            for (i, a) in stable.enumerated() {
                for b in stable[(i + 1)...] where abs(state(a.frame) - state(b.frame)) >= 2 {
                    if difference(a.luma, b.luma, width: w, rect: r) < sameContent {
                        if !recurring.contains(where: { $0.frame == a.frame }) { recurring.append(a) }
                        if !recurring.contains(where: { $0.frame == b.frame }) { recurring.append(b) }
                    }
                }
            }
            guard let best = recurring.min(by: { detail($0.luma, width: w, rect: r) < detail($1.luma, width: w, rect: r) })
            else { continue }
            // The still shows the absent state when its state is the chosen one's, or one with
            // the same content as it.
            let middleState = state(middle)
            let middleIsAbsent = state(best.frame) == middleState || stable.contains {
                state($0.frame) == middleState && difference($0.luma, best.luma, width: w, rect: r) < sameContent
            }
            out.append(Patch(region: r, frame: best.frame, middleIsAbsent: middleIsAbsent))
        }
        return out
    }

    /// Mean absolute difference of two planes inside `rect`.
    static func difference(_ a: [UInt8], _ b: [UInt8], width w: Int, rect r: PixelRect) -> Double {
        var sum = 0
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { sum += abs(Int(a[y * w + x]) - Int(b[y * w + x])) }
        }
        return Double(sum) / Double(max(1, r.width * r.height))
    }

    /// Mean absolute gradient inside `rect`: text and boxes are edges.
    static func detail(_ l: [UInt8], width w: Int, rect r: PixelRect) -> Double {
        var sum = 0, n = 0
        for y in r.y..<(r.maxY - 1) {
            for x in r.x..<(r.maxX - 1) {
                let i = y * w + x
                sum += abs(Int(l[i + 1]) - Int(l[i])) + abs(Int(l[i + w]) - Int(l[i]))
                n += 1
            }
        }
        return n > 0 ? Double(sum) / Double(n) : 0
    }
}
