import Foundation
import Media
@testable import Scenes
import Testing

/// The transition-aware mode on generated static-picture videos with known hard cuts, dissolves
/// and fades (truth from a lossless render of the same graph): hard cuts exact, every gradual
/// transition found with its span within 2 frames, no still from a blended frame, layout still
/// found; and on the committed fixtures the same cuts as the default mode where there is no
/// dissolve.
@Suite(.serialized) struct TransitionTests {
    static let mixed: [(seconds: Double, join: TransitionVideos.Join)] =
        [(3, .dissolve(0.5)), (3, .cut), (3, .dissolve(1)), (3, .fade(1)), (3, .cut), (2, .cut)]

    func detect(_ path: String, transitions: Bool, layout: Bool = false) throws -> DetectResult {
        var o = DetectOptions()
        o.transitions = transitions
        o.layout = layout
        return try SceneDetector.detect(path: path, options: o)
    }

    /// Every boundary found as it is, in order, and nothing else.
    func expectMatches(_ found: [Transition], _ truth: [TransitionVideos.Boundary], _ what: String) {
        #expect(found.count == truth.count, "\(what): \(found.map { "\($0.kind) \($0.first)-\($0.last)" }) vs \(truth)")
        for (f, t) in zip(found, truth) {
            #expect(f.kind.rawValue == t.kind, "\(what): \(f) vs \(t)")
            if t.kind == "cut" {
                #expect(f.cut == t.first && f.frames == 0, "\(what): hard cut at \(f.cut), true \(t.first)")
            } else {
                #expect(abs(f.first - t.first) <= 2 && abs(f.last - t.last) <= 2,
                        "\(what): \(f.kind) \(f.first)-\(f.last), true \(t.first)-\(t.last)")
                #expect(f.first <= f.cut && f.cut <= f.last + 1)
            }
        }
    }

    @Test func dissolvesFadesAndHardCuts() throws {
        let (path, truth) = try TransitionVideos.make("mixed-transitions", Self.mixed)
        #expect(truth.map(\.kind) == ["dissolve", "cut", "dissolve", "fade", "cut"])
        let r = try detect(path, transitions: true)
        expectMatches(r.transitions, truth, "mixed")
        #expect(r.cuts == r.transitions.map(\.cut))
        // The hard cuts are the default mode's, frame for frame, and so are the scores.
        let plain = try detect(path, transitions: false)
        let hard = r.transitions.filter { !$0.isGradual }.map(\.cut)
        #expect(hard.allSatisfy { plain.cuts.contains($0) }, "\(hard) vs \(plain.cuts)")
        #expect(r.scores == plain.scores)
        #expect(plain.transitions.allSatisfy { !$0.isGradual })
        // Scenes know how they begin and end.
        #expect(r.scenes.first?.transitionIn == nil && r.scenes.last?.transitionOut == nil)
        for k in 1..<r.scenes.count {
            #expect(r.scenes[k].transitionIn == r.transitions[k - 1] && r.scenes[k - 1].transitionOut == r.transitions[k - 1])
            #expect(r.scenes[k].startFrame == r.transitions[k - 1].cut)
        }
    }

    @Test func noStillFromABlendedFrame() throws {
        let (path, truth) = try TransitionVideos.make("mixed-transitions", Self.mixed)
        let r = try detect(path, transitions: true)
        let blended = truth.filter { $0.kind != "cut" }.map { $0.first...$0.last }
        for s in r.scenes {
            let f = try #require(s.stillFrame)
            #expect(s.startFrame <= f && f < s.stopFrame)
            #expect(!blended.contains { $0.contains(f) }, "scene \(s.index): still at \(f), blended \(blended)")
            // The still is that frame's picture.
            let image = try #require(s.image)
            try image.load()
            #expect(image.width == 640 && image.height == 360)
        }
        // The default mode's middle frames, unchanged: some fall inside a dissolve there.
        let plain = try detect(path, transitions: false)
        #expect(plain.scenes.map { $0.stillFrame! } == plain.scenes.map { Scene.middleFrame(start: $0.startFrame, stop: $0.stopFrame, fps: plain.info.fps) })
    }

    /// The issue's case: eight half-second dissolves between pictures.
    @Test func eightHalfSecondDissolves() throws {
        let scenes: [(seconds: Double, join: TransitionVideos.Join)] = (0..<9).map { (3, $0 < 8 ? .dissolve(0.5) : .cut) }
        let (path, truth) = try TransitionVideos.make("eight-dissolves", scenes)
        #expect(truth.count == 8 && truth.allSatisfy { $0.kind == "dissolve" })
        let r = try detect(path, transitions: true)
        expectMatches(r.transitions, truth, "eight dissolves")
        for s in r.scenes {
            #expect(!truth.contains { ($0.first...$0.last).contains(s.stillFrame!) }, "scene \(s.index) still \(s.stillFrame!)")
        }
    }

    /// Letterboxed pictures dissolving into each other: each scene's picture is found inside the
    /// bars, and the blended frames make no overlays (in the default mode they do).
    @Test func layoutAcrossADissolve() throws {
        let scenes: [(seconds: Double, join: TransitionVideos.Join)] = [(3, .dissolve(1)), (3, .dissolve(0.5)), (3, .cut)]
        let (path, truth) = try TransitionVideos.make("letterbox-dissolves", scenes, letterbox: 45)
        let r = try detect(path, transitions: true, layout: true)
        expectMatches(r.transitions, truth, "letterbox")
        #expect(r.scenes.count == 3)
        for s in r.scenes {
            let l = try #require(s.layout)
            #expect(l.background == .bars, "scene \(s.index): \(l)")
            #expect(abs(l.picture.y - 45) <= 2 && abs(l.picture.height - 270) <= 4 && l.picture.width == 640, "scene \(s.index): \(l.picture)")
            #expect(l.overlays.isEmpty, "scene \(s.index): \(l.overlays)")
            let picture = try #require(s.picture)
            #expect(picture.width == l.picture.width && picture.height == l.picture.height)
        }
    }

    /// Where there is no gradual transition the mode adds nothing: the committed fixtures' cuts.
    @Test(arguments: ["hardcuts.mp4", "noaudio720.mp4", "vertical.mp4", "area2x.mp4", "nocuts.mp4"])
    func sameCutsWithoutDissolves(_ video: String) throws {
        let path = ParityTests.dir.appendingPathComponent(video).path
        let r = try detect(path, transitions: true)
        let plain = try detect(path, transitions: false)
        #expect(r.cuts == plain.cuts, "\(video)")
        #expect(r.transitions.allSatisfy { !$0.isGradual }, "\(video): \(r.transitions)")
    }

    @Test func aBlendFitsOnlyBlends() {
        // P = 0, N = 100 everywhere: frames at 25/50/75 are a dissolve, cut at the 50.
        let p = [Float](repeating: 0, count: 30), n = [Float](repeating: 100, count: 30)
        let run = [[Float](repeating: 25, count: 30), [Float](repeating: 50, count: 30), [Float](repeating: 75, count: 30), n]
        #expect(TransitionDetector.fit(before: p, run: run, first: 10) == Transition(kind: .dissolve, cut: 11, first: 10, last: 12))
        // Half the picture changing on its own (motion, a caption) is no blend of the two.
        var half = [Float](repeating: 0, count: 30)
        for k in 0..<15 { half[k] = 100 }
        var other = [Float](repeating: 0, count: 30)
        for k in 15..<30 { other[k] = 100 }
        #expect(TransitionDetector.fit(before: p, run: [half, other, n], first: 10) == nil)
    }
}
