import Media
@testable import Scenes
import Testing

/// Which state of an overlay is the picture, read off one thumbnail per settled state.
struct OverlayAbsenceTests {
    // A 40x20 frame with 1:1 thumbnails; the overlay covers 10x4 cells at (10, 12).
    static let region = PixelRect(x: 10, y: 12, width: 10, height: 4)
    static let picture = PixelRect(x: 0, y: 0, width: 40, height: 20)

    /// A thumbnail: a gradient (the picture), with the region painted `caption` (nil: bare).
    static func thumb(_ caption: UInt8?) -> [UInt8] {
        var t = (0..<(40 * 20)).map { UInt8(($0 % 40) * 5) }
        if let c = caption {
            for y in region.y..<region.maxY { for x in region.x..<region.maxX { t[y * 40 + x] = c } }
        }
        return t
    }

    /// `contents[k]` is shown from change k (frame 10 k) on; one thumbnail per state, settled.
    static func patches(_ contents: [UInt8?], middle: Int) -> [OverlayAbsence.Patch] {
        let changes = (1..<contents.count).map { $0 * 10 }
        let states = contents.enumerated().map { OverlayAbsence.Plane(frame: $0.offset * 10 + 5, luma: thumb($0.element)) }
        return OverlayAbsence.patches(overlays: [SceneLayout.Overlay(region: region, changes: changes)], picture: picture,
                                      frameWidth: 40, frameHeight: 20, thumbWidth: 40, thumbHeight: 20,
                                      states: states, middle: middle)
    }

    @Test func subtitlesWithGapsGiveTheGap() {
        // gap, "A", gap, "B", gap: the gap recurs, the captions do not; the still (frame 15) shows "A".
        let p = Self.patches([nil, 250, nil, 200, nil], middle: 15)
        #expect(p.count == 1)
        #expect([5, 25, 45].contains(p.first?.frame ?? -1))
        #expect(p.first?.middleIsAbsent == false)
        #expect(p.first?.region == Self.region)
        // The still shows a gap: its own pixels are right.
        #expect(Self.patches([nil, 250, nil, 200, nil], middle: 27).first?.middleIsAbsent == true)
    }

    @Test func captionsTakingTurnsAreUndecided() {
        // White and yellow boxes taking turns, no gap: both recur, neither is known to be the picture.
        #expect(Self.patches([250, 200, 250, 200], middle: 15).isEmpty)
    }

    @Test func aCaptionThatNeverLeavesOrOneChangeIsFilled() {
        #expect(Self.patches([250, 200, 150], middle: 15).isEmpty)
        #expect(Self.patches([nil, 250], middle: 15).isEmpty)
    }
}
