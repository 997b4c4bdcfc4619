import Foundation
import Media
@testable import Scenes
import Testing

/// Layout analysis on generated static-image videos: picture rectangles, backgrounds, overlays
/// and their change frames, statics, clean stills.
@Suite(.serialized) struct LayoutTests {
    static func near(_ a: PixelRect, _ b: PixelRect, _ tol: Int = 2) -> Bool {
        abs(a.x - b.x) <= tol && abs(a.y - b.y) <= tol && abs(a.maxX - b.maxX) <= tol && abs(a.maxY - b.maxY) <= tol
    }

    @Test func dump() throws {
        let result = try SceneDetector.detect(path: try LayoutVideos.podcast())
        print("cuts", result.cuts)
        for s in result.scenes {
            let l = s.layout!
            print(s.index, s.startFrame, s.stopFrame, l.picture, l.background, l.overlays.map { "\($0.region) \($0.changes)" }, l.statics)
        }
    }
}
