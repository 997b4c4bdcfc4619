import Foundation
import Media
@testable import Scenes
import Testing

/// Layout analysis on generated static-image videos (`LayoutVideos`): picture rectangles,
/// backgrounds, overlays and the frames they change at, statics, clean stills.
@Suite(.serialized) struct LayoutTests {
    static func near(_ a: PixelRect, _ b: PixelRect, _ tol: Int = 2) -> Bool {
        abs(a.x - b.x) <= tol && abs(a.y - b.y) <= tol && abs(a.maxX - b.maxX) <= tol && abs(a.maxY - b.maxY) <= tol
    }

    static func covers(_ outer: PixelRect, _ inner: PixelRect) -> Bool {
        outer.x <= inner.x && outer.y <= inner.y && outer.maxX >= inner.maxX && outer.maxY >= inner.maxY
    }

    nonisolated(unsafe) static let result: Result<DetectResult, Error> = Result { try SceneDetector.detect(path: try LayoutVideos.podcast()) }

    @Test func picturesAndBackgrounds() throws {
        let r = try LayoutTests.result.get()
        // Captions appear, change colour and text, and go: none of that is a cut.
        #expect(r.cuts == [75, 150, 225])
        let layouts = r.scenes.compactMap(\.layout)
        try #require(layouts.count == 4)
        #expect(layouts.map(\.background) == [.bars, .bars, .fill, .none])
        let whole = PixelRect(x: 0, y: 0, width: 640, height: 360)
        for (l, want) in zip(layouts, [LayoutVideos.letterbox, LayoutVideos.pillarbox, LayoutVideos.fill, whole]) {
            #expect(LayoutTests.near(l.picture, want), "picture \(l.picture), want \(want)")
            #expect(l.frameWidth == 640 && l.frameHeight == 360)
        }
    }

    @Test func overlaysAndTheirChangeFrames() throws {
        let r = try LayoutTests.result.get()
        try #require(r.scenes.count == 4)
        let o1 = r.scenes[0].layout!.overlays, o2 = r.scenes[1].layout!.overlays, o3 = r.scenes[2].layout!.overlays
        try #require(o1.count == 1 && o2.count == 1 && o3.count == 1, "\(o1) \(o2) \(o3)")
        #expect(LayoutTests.covers(o1[0].region, LayoutVideos.caption1))
        #expect(LayoutTests.near(o1[0].region, LayoutVideos.caption1, 8), "\(o1[0].region)")
        #expect(o1[0].changes == LayoutVideos.caption1Changes)
        #expect(LayoutTests.covers(o2[0].region, LayoutVideos.caption2))
        #expect(LayoutTests.near(o2[0].region, LayoutVideos.caption2, 8), "\(o2[0].region)")
        #expect(o2[0].changes == LayoutVideos.caption2Changes)
        // The text (or its stand-in box) starts at x 140, y 290.
        #expect(o3[0].region.x <= 140 && o3[0].region.y <= 292 && o3[0].region.maxY >= 306, "\(o3[0].region)")
        #expect(o3[0].changes == LayoutVideos.caption3Changes)
        // The logo never changes: it is no overlay.
        for o in o1 + o2 + o3 { #expect(!o.region.intersects(LayoutVideos.logo)) }
    }

    @Test func theLogoIsAStaticOfEveryScene() throws {
        let r = try LayoutTests.result.get()
        for s in r.scenes {
            let statics = s.layout!.statics
            #expect(statics.count == 1, "scene \(s.index): \(statics)")
            if let st = statics.first {
                #expect(LayoutTests.covers(st, LayoutVideos.logo) && LayoutTests.near(st, LayoutVideos.logo, 8), "\(st)")
            }
        }
    }

    /// The clean still has the caption filled from the picture around it; the picture is that
    /// cut to the picture's rectangle.
    @Test func cleanStillsHaveNoCaption() throws {
        let r = try LayoutTests.result.get()
        let s = r.scenes[0]
        let image = try #require(s.image), clean = try #require(s.clean), picture = try #require(s.picture)
        #expect(clean.width == 640 && clean.height == 360)
        let c = LayoutVideos.caption1
        func whiteShare(_ img: Image) -> Double {
            let px = img.pixels
            var white = 0
            for y in c.y..<c.maxY { for x in c.x..<c.maxX {
                let i = (y * img.width + x) * 3
                if px[i] > 220 && px[i + 1] > 220 && px[i + 2] > 220 { white += 1 }
            } }
            return Double(white) / Double(c.width * c.height)
        }
        // The middle frame (37) shows the white caption (frames 10...40).
        #expect(whiteShare(image) > 0.9)
        #expect(whiteShare(clean) < 0.02)
        // Away from the overlays, the clean still is the still.
        let ip = image.pixels, cp = clean.pixels
        #expect(ip[(100 * 640 + 50) * 3..<(100 * 640 + 60) * 3] == cp[(100 * 640 + 50) * 3..<(100 * 640 + 60) * 3])
        let l = s.layout!
        #expect(picture.width == l.picture.width && picture.height == l.picture.height)
        #expect(Array(picture.pixels[0..<30]) == Array(cp[(l.picture.y * 640 + l.picture.x) * 3..<(l.picture.y * 640 + l.picture.x) * 3 + 30]))
        // A portrait picture in a 16:9 frame gives a portrait image.
        let portrait = try #require(r.scenes[1].picture)
        #expect(portrait.height > portrait.width)
    }

    /// Where a caption comes and goes within the scene (absent, caption, absent), the clean still
    /// takes the picture's own pixels from a frame without it, not a fill: the scene's first
    /// frames show the picture under the caption's region.
    @Test(arguments: [(0, 5, LayoutVideos.caption1), (1, 80, LayoutVideos.caption2)])
    func cleanStillsTakeThePictureFromFramesWithoutTheCaption(_ scene: Int, _ bare: Int, _ caption: PixelRect) throws {
        let r = try LayoutTests.result.get()
        let s = r.scenes[scene]
        let clean = try #require(s.clean), image = try #require(s.image), layout = try #require(s.layout)
        let decoder = try VideoDecoder(path: try LayoutVideos.podcast())
        var frame: Image?
        for _ in 0...bare { frame = try decoder.nextFrame()?.image }
        let truth = try #require(frame)
        let region = caption.intersection(layout.picture)
        func difference(_ a: Image) -> Double {
            var sum = 0
            for y in region.y..<region.maxY { for x in region.x..<region.maxX { for c in 0..<3 {
                let i = (y * 640 + x) * 3 + c
                sum += abs(Int(a.pixels[i]) - Int(truth.pixels[i]))
            } } }
            return Double(sum) / Double(region.width * region.height * 3)
        }
        #expect(difference(clean) < 3, "clean vs frame \(bare): \(difference(clean))")
        // What filling in would have given (and the still with its caption) is far from it.
        #expect(difference(CleanStill.clean(image, layout: layout)) > 6)
        #expect(difference(image) > 20)
    }

    @Test func layoutFalseIsTheFullFrame() throws {
        var options = DetectOptions()
        options.layout = false
        let r = try SceneDetector.detect(path: try LayoutVideos.podcast(), options: options)
        #expect(r.cuts == [75, 150, 225])
        for s in r.scenes {
            #expect(s.layout == SceneLayout.full(width: 640, height: 360))
            #expect(s.picture === s.image)
        }
    }

    /// What layout analysis adds to detect's time, on a 720p static-image video (printed; the
    /// budget is about 20%; shared CI machines are too noisy to fail on it).
    @Test func timeAddedOn720p() throws {
        let path = try LayoutVideos.timing720()
        var off = DetectOptions()
        off.layout = false
        // Wall time on a shared machine is noisy; the process's CPU time counts the work itself.
        func cpu() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        func time(_ o: DetectOptions) throws -> (wall: Double, cpu: Double, result: DetectResult) {
            let t0 = Date(), c0 = cpu()
            let r = try SceneDetector.detect(path: path, options: o)
            return (Date().timeIntervalSince(t0), cpu() - c0, r)
        }
        _ = try time(off)   // warm the file cache
        var wall = (off: Double.infinity, on: Double.infinity), work = (off: Double.infinity, on: Double.infinity)
        var last: DetectResult?
        for _ in 0..<3 {
            let a = try time(off), b = try time(DetectOptions())
            wall = (min(wall.off, a.wall), min(wall.on, b.wall))
            work = (min(work.off, a.cpu), min(work.on, b.cpu))
            last = b.result
        }
        let r = try #require(last)
        print(String(format: "layout timing 720p (1000 frames): wall %.3f s -> %.3f s (+%.1f%%), cpu %.3f s -> %.3f s (+%.1f%%); "
                     + "layout's own cpu %.3f s = %.1f%% of detect's cpu without it",
                     wall.off, wall.on, 100 * (wall.on / wall.off - 1), work.off, work.on, 100 * (work.on / work.off - 1),
                     r.layoutSeconds, 100 * r.layoutSeconds / work.off))
        #expect(r.layoutSeconds > 0)
        #expect(r.cuts == (1..<8).map { $0 * 125 })
        for s in r.scenes {
            // The caption goes at frame 60 of every scene (it came with the cut).
            #expect(s.layout?.overlays.map(\.changes) == [[s.startFrame + 60]], "scene \(s.index): \(s.layout!.overlays)")
        }
    }

    static let singles: [(name: String, source: String, rect: PixelRect, background: String, colour: String)] = [
        ("windowbox", "testsrc2", PixelRect(x: 80, y: 46, width: 480, height: 268), "bars", "black"),
        ("greybars", "testsrc", PixelRect(x: 140, y: 0, width: 360, height: 360), "bars", "0x505050"),
        // Photo-like grain: a picture whose edge is one flat colour, the same as its blur beside
        // it, has no edge to find (a known limit).
        ("fillwide", "testsrc,noise=alls=16:allf=u", PixelRect(x: 40, y: 22, width: 560, height: 316), "fill", ""),
        ("fillportrait", "testsrc2", PixelRect(x: 220, y: 0, width: 202, height: 360), "fill", ""),
        ("fullframe", "testsrc2", PixelRect(x: 0, y: 0, width: 640, height: 360), "none", ""),
    ]

    /// Picture rectangles within 2 pixels, and the right background, over several layouts.
    @Test(arguments: 0..<singles.count) func pictureRectangles(_ k: Int) throws {
        let c = LayoutTests.singles[k]
        let path = try LayoutVideos.single(c.name, source: c.source, rect: c.rect, background: c.background, colour: c.colour)
        let r = try SceneDetector.detect(path: path)
        try #require(r.scenes.count == 1)
        let l = try #require(r.scenes[0].layout)
        #expect(l.background.rawValue == c.background, "\(c.name)")
        #expect(LayoutTests.near(l.picture, c.rect), "\(c.name): \(l.picture), want \(c.rect)")
        #expect(l.overlays.isEmpty, "\(c.name): \(l.overlays)")
        #expect(r.scenes[0].picture?.width == l.picture.width && r.scenes[0].picture?.height == l.picture.height)
    }

    /// A caption that fades in over 10 frames (each frame a tenth more opaque) is found: the
    /// change is counted from each cell's last changed value, not the frame before.
    @Test func aFadingCaptionIsFound() throws {
        let out = LayoutVideos.dir + "/fade.mp4"
        let box = PixelRect(x: 160, y: 260, width: 320, height: 40)
        var graph = LayoutVideos.still("testsrc2=s=640x360", frames: 50) + ",format=yuv420p"
        let draw = "drawbox=x=\(box.x):y=\(box.y):w=\(box.width):h=\(box.height):t=fill"
        for j in 0..<10 { graph += ",\(draw):color=white@\(Double(j + 1) / 10):enable='eq(n,\(20 + j))'" }
        graph += ",\(draw):color=white:enable='gte(n,30)'"
        try LayoutVideos.run(["ffmpeg", "-v", "error", "-y", "-filter_complex", graph, "-c:v", "libx264", "-preset", "veryfast", out])
        let r = try SceneDetector.detect(path: out)
        #expect(r.cuts.isEmpty)
        let overlays = try #require(r.scenes.first?.layout?.overlays)
        try #require(overlays.count == 1, "\(overlays)")
        #expect(LayoutTests.covers(overlays[0].region, box) && LayoutTests.near(overlays[0].region, box, 8), "\(overlays[0].region)")
        #expect((20...22).contains(overlays[0].changes.first ?? -1) && overlays[0].changes.allSatisfy { (20...30).contains($0) },
                "\(overlays[0].changes)")
    }
}
