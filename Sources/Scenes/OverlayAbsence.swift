import Media

/// Where in a scene an overlay is absent, so the clean still can take the picture's own pixels
/// there instead of filling them in. An overlay's content is constant between its change frames
/// (its states); a luma thumbnail of each settled state is kept. Subtitles come and go: the state that
/// recurs in states that are not neighbours (caption, gap, caption, gap) is the picture — two
/// different captions do not recur, and a caption that stays on all scene has no such state (it
/// is filled in, as before). Two contents that both recur (captions of two kinds taking turns, no
/// gap) leave it undecided: filled in. A banner that comes back with the same text within one
/// scene, with the picture between, would be taken for the picture.
enum OverlayAbsence {
    struct Patch: Equatable {
        /// The overlay's region inside the picture.
        var region: PixelRect
        /// A frame of the scene where the overlay is absent.
        var frame: Int
        /// The middle frame (the still) shows the overlay absent too: its own pixels are right.
        var middleIsAbsent: Bool
    }

    /// Two thumbnails show the same content in a region when their mean difference is below this
    /// (x264's noise on a still picture, averaged over a cell, stays well under it; a caption's
    /// strokes do not).
    static let sameContent = 3.0
    /// Frames after a change that may still be mid-fade.
    static let settleFrames = 3

    /// A luma thumbnail of one settled state of the scene: its frame and cells.
    struct Plane {
        let frame: Int
        let luma: [UInt8]
    }

    /// `states`: a thumbnail (`thumbWidth`x`thumbHeight`) of every settled state of the scene.
    static func patches(overlays: [SceneLayout.Overlay], picture: PixelRect, frameWidth: Int, frameHeight: Int,
                        thumbWidth w: Int, thumbHeight h: Int, states: [Plane], middle: Int) -> [Patch] {
        let fx = Double(frameWidth) / Double(w), fy = Double(frameHeight) / Double(h)
        var out: [Patch] = []
        for o in overlays {
            let region = o.region.intersection(picture)
            guard !region.isEmpty else { continue }
            // The cells inside the region (those it touches, when it is smaller than a cell).
            var x0 = Int((Double(region.x) / fx).rounded(.up)), x1 = Int((Double(region.maxX) / fx).rounded(.down))
            var y0 = Int((Double(region.y) / fy).rounded(.up)), y1 = Int((Double(region.maxY) / fy).rounded(.down))
            if x1 <= x0 { x0 = Int(Double(region.x) / fx); x1 = Int((Double(region.maxX) / fx).rounded(.up)) }
            if y1 <= y0 { y0 = Int(Double(region.y) / fy); y1 = Int((Double(region.maxY) / fy).rounded(.up)) }
            let r = PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0).intersection(PixelRect(x: 0, y: 0, width: w, height: h))
            guard !r.isEmpty else { continue }
            func state(_ f: Int) -> Int { o.changes.filter { $0 <= f }.count }
            func settled(_ f: Int) -> Bool { o.changes.allSatisfy { f < $0 || f - $0 >= settleFrames } }
            let stable = states.filter { settled($0.frame) && $0.luma.count == w * h }
            // Thumbnails grouped by their content in the region; a group that shows in two states
            // that are not neighbours recurs.
            var groups: [[Plane]] = []
            for p in stable {
                if let g = groups.firstIndex(where: { difference($0[0].luma, p.luma, width: w, rect: r) < sameContent }) {
                    groups[g].append(p)
                } else {
                    groups.append([p])
                }
            }
            let recurring = groups.filter { g in
                let states = Set(g.map { state($0.frame) })
                return states.contains { a in states.contains { b in abs(a - b) >= 2 } }
            }
            // Two contents that both recur (white and yellow captions taking turns) leave no
            // telling which is the picture: filled in.
            guard recurring.count == 1,
                  let best = recurring[0].min(by: { detail($0.luma, width: w, rect: r) < detail($1.luma, width: w, rect: r) })
            else { continue }
            // The still shows the absent state when its state's content is the chosen one's.
            let middleState = state(middle)
            let middleIsAbsent = state(best.frame) == middleState || stable.contains {
                state($0.frame) == middleState && difference($0.luma, best.luma, width: w, rect: r) < sameContent
            }
            out.append(Patch(region: region, frame: best.frame, middleIsAbsent: middleIsAbsent))
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
