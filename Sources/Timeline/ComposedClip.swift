import Dispatch
import Media

/// A scene whose picture moves and whose frame does not: each frame is the source's own frame
/// (bars, fill, captions, logo as they are), with the animated picture put into the picture's
/// rectangle alone and, when overlays are kept, the source's overlay pixels put back on top at
/// their own frames. The motion source animates the picture only, so nothing outside it ever
/// zooms or pans.
public final class ComposedClip: Clip, @unchecked Sendable {
    /// What becomes of the captions, banners and logos over the picture.
    public enum Overlays: String, CaseIterable, Sendable {
        /// The source's, frame for frame, unmoved over the moving picture.
        case keep
        /// None: the animated picture inside the picture, the clean frame outside it. Statics
        /// (a channel logo) stay: they are the channel's, not the scene's.
        case drop
    }

    /// A pixel belongs to an overlay when a channel differs from the clean frame by more than
    /// this: above H.264's noise on flat areas (a few levels), below any legible text's contrast.
    public static let overlayThreshold = 24
    /// Pixels next to an overlay pixel come along, so anti-aliased edges (which differ from
    /// the clean frame by less than the threshold) are not left as a halo of moving picture.
    public static let overlayDilation = 2

    public let motion: any Clip
    public let source: SourceFrames
    /// The scene's first frame in the source.
    public let startFrame: Int
    /// The scene's frames in the source: output frames past them hold its last one.
    public let sceneFrames: Int
    public let layout: SceneLayout
    /// The clean frame inside each overlay and static rectangle (rows of the rectangle's width),
    /// all that composition reads of it: the whole frame, 6 MB at 1080p, would be held for every
    /// scene of an episode until the render.
    let cleanPatches: [PixelRect: [UInt8]]
    public var hasClean: Bool { !cleanPatches.isEmpty }
    public let overlays: Overlays
    public let duration: Double
    public let frameCount: Int
    public var width: Int { source.width }
    public var height: Int { source.height }
    public var fps: Rational { source.fps }

    /// - `clean` is the whole source frame with the overlays and statics inside the picture
    ///   filled in; it may be nil only when the layout has no overlays and no statics.
    public init(motion: any Clip, source: SourceFrames, startFrame: Int, sceneFrames: Int, seconds: Double,
                layout: SceneLayout, clean: Image?, overlays: Overlays = .keep) {
        precondition(clean == nil || (clean!.width == source.width && clean!.height == source.height),
                     "ComposedClip: the clean frame must be the source's size")
        self.motion = motion
        self.source = source
        self.startFrame = max(0, startFrame)
        self.sceneFrames = max(1, sceneFrames)
        self.layout = layout
        self.overlays = overlays
        duration = seconds
        frameCount = framesCovering(seconds, source.fps)
        var patches: [PixelRect: [UInt8]] = [:]
        if let clean {
            let px = clean.pixels, w = clean.width
            func scaledRect(_ r: PixelRect) -> PixelRect { ComposedClip.scaled(r, layout: layout, width: source.width, height: source.height) }
            for r in (layout.overlays.map(\.region) + layout.statics).map(scaledRect) where !r.isEmpty && patches[r] == nil {
                var out = [UInt8](repeating: 0, count: r.width * r.height * 3)
                for y in 0..<r.height {
                    let s = ((r.y + y) * w + r.x) * 3
                    out.replaceSubrange(y * r.width * 3..<(y + 1) * r.width * 3, with: px[s..<s + r.width * 3])
                }
                patches[r] = out
            }
        }
        cleanPatches = patches
    }

    /// The picture's rectangle scaled from the layout's frame to the source's, inside the frame.
    var pictureRect: PixelRect { scaled(layout.picture) }

    func scaled(_ r: PixelRect) -> PixelRect { ComposedClip.scaled(r, layout: layout, width: width, height: height) }

    static func scaled(_ r: PixelRect, layout: SceneLayout, width: Int, height: Int) -> PixelRect {
        let sx = Double(width) / Double(max(1, layout.frameWidth)), sy = Double(height) / Double(max(1, layout.frameHeight))
        let x0 = max(0, Int((Double(r.x) * sx).rounded())), y0 = max(0, Int((Double(r.y) * sy).rounded()))
        let x1 = min(width, Int((Double(r.maxX) * sx).rounded())), y1 = min(height, Int((Double(r.maxY) * sy).rounded()))
        return PixelRect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }

    /// The regions whose source pixels go on top (`keep`) or are cleaned (`drop`).
    var overlayRects: [PixelRect] { layout.overlays.map { scaled($0.region) }.filter { !$0.isEmpty } }
    var staticRects: [PixelRect] { layout.statics.map(scaled).filter { !$0.isEmpty } }

    public func makeReader() throws -> any FrameSource { Reader(self, try motion.makeReader()) }

    private final class Reader: FrameSource {
        let clip: ComposedClip
        let motion: any FrameSource
        let picture: PixelRect
        var lastMotion = -1
        var lastFitted: Image?

        init(_ clip: ComposedClip, _ motion: any FrameSource) {
            self.clip = clip
            self.motion = motion
            picture = clip.pictureRect
        }

        func frame(_ index: Int) throws -> Image {
            let k = min(max(index, 0), clip.frameCount - 1)
            let src = try clip.source.frame(clip.startFrame + min(k, clip.sceneFrames - 1))
            // A blurred fill is taken from the source too, never regenerated: in these videos it is
            // static, and zooming it with the picture is what looked wrong.
            let w = clip.width, h = clip.height
            let fitted = picture.isEmpty ? nil : try fittedMotion(k)
            // Each row once: the source's left and right of the picture, the animated picture inside.
            let fittedPixels = fitted?.pixels ?? []
            var out = [UInt8](unsafeUninitializedCapacity: w * h * 3) { buffer, count in
                src.pixels.withUnsafeBufferPointer { s in
                    fittedPixels.withUnsafeBufferPointer { f in
                        let o = buffer.baseAddress!, sp = s.baseAddress!
                        let px = picture.x * 3, pw = picture.width * 3
                        for y in 0..<h {
                            let row = y * w * 3
                            guard fitted != nil, y >= picture.y && y < picture.maxY else {
                                (o + row).initialize(from: sp + row, count: w * 3)
                                continue
                            }
                            (o + row).initialize(from: sp + row, count: px)
                            (o + row + px).initialize(from: f.baseAddress! + (y - picture.y) * pw, count: pw)
                            (o + row + px + pw).initialize(from: sp + row + px + pw, count: w * 3 - px - pw)
                        }
                    }
                }
                count = w * h * 3
            }
            switch clip.overlays {
            case .keep:
                for r in clip.overlayRects + clip.staticRects where intersects(r, picture) {
                    guard let clean = clip.cleanPatches[r] else { continue }
                    ComposedClip.restoreOverlay(in: &out, from: src, clean: clean, region: r, width: w)
                }
            case .drop:
                for r in clip.overlayRects {
                    guard let clean = clip.cleanPatches[r] else { continue }
                    ComposedClip.copyOutside(picture, region: r, from: clean, into: &out, width: w)
                }
                for r in clip.staticRects where intersects(r, picture) {
                    guard let clean = clip.cleanPatches[r] else { continue }
                    ComposedClip.restoreOverlay(in: &out, from: src, clean: clean, region: r, width: w)
                }
            }
            return Image(width: w, height: h, pixels: out)
        }

        /// The motion frame shown at output frame k, scaled to the picture's rectangle (once per
        /// motion frame: a 7 fps clip in a 25 fps scene is scaled 7 times a second).
        func fittedMotion(_ k: Int) throws -> Image {
            let m = clip.motion.fps, s = clip.fps
            let i = min(max((k * m.num * s.den) / (m.den * s.num), 0), clip.motion.frameCount - 1)
            if lastMotion == i, let lastFitted { return lastFitted }
            let image = try motion.frame(i)
            let fitted = image.width == picture.width && image.height == picture.height ? image
                : Bilinear.sample(image, x: 0, y: 0, w: Double(image.width), h: Double(image.height),
                                  width: picture.width, height: picture.height)
            lastMotion = i
            lastFitted = fitted
            return fitted
        }

        func intersects(_ a: PixelRect, _ b: PixelRect) -> Bool {
            a.x < b.maxX && b.x < a.maxX && a.y < b.maxY && b.y < a.maxY
        }
    }

    /// Inside `region`, the source's pixels where they differ from the clean frame (an overlay's
    /// text, its box, a logo), dilated; elsewhere what `out` has (the animated picture). `clean`:
    /// the clean frame inside `region` (rows of its width).
    static func restoreOverlay(in out: inout [UInt8], from src: Image, clean: [UInt8], region r: PixelRect, width w: Int) {
        let rw = r.width, rh = r.height, d = overlayDilation, t = Int32(overlayThreshold)
        var mask = [UInt8](repeating: 0, count: rw * rh)
        src.pixels.withUnsafeBufferPointer { s in
            clean.withUnsafeBufferPointer { c in
                for y in 0..<rh {
                    let row = ((r.y + y) * w + r.x) * 3
                    for x in 0..<rw {
                        let p = row + x * 3, q = (y * rw + x) * 3
                        let d0 = abs(Int32(s[p]) - Int32(c[q])), d1 = abs(Int32(s[p + 1]) - Int32(c[q + 1]))
                        let d2 = abs(Int32(s[p + 2]) - Int32(c[q + 2]))
                        if max(d0, d1, d2) > t { mask[y * rw + x] = 1 }
                    }
                }
            }
        }
        // Dilation as two separable passes (a square of side 2d+1).
        var horizontal = [UInt8](repeating: 0, count: rw * rh)
        for y in 0..<rh {
            var run = -1_000_000
            for x in 0..<rw where mask[y * rw + x] != 0 {
                let lo = max(0, x - d, run + 1), hi = min(rw - 1, x + d)
                if lo <= hi { for xx in lo...hi { horizontal[y * rw + xx] = 1 } }
                run = hi
            }
        }
        var dilated = [UInt8](repeating: 0, count: rw * rh)
        for y in 0..<rh {
            for x in 0..<rw where horizontal[y * rw + x] != 0 {
                for yy in max(0, y - d)...min(rh - 1, y + d) { dilated[yy * rw + x] = 1 }
            }
        }
        src.pixels.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<rh {
                    let row = ((r.y + y) * w + r.x) * 3
                    for x in 0..<rw where dilated[y * rw + x] != 0 {
                        let p = row + x * 3
                        o[p] = s[p]; o[p + 1] = s[p + 1]; o[p + 2] = s[p + 2]
                    }
                }
            }
        }
    }

    /// The clean frame's pixels (`clean`: inside `region`, rows of its width) in the part of
    /// `region` outside the picture.
    static func copyOutside(_ picture: PixelRect, region r: PixelRect, from clean: [UInt8], into out: inout [UInt8], width w: Int) {
        clean.withUnsafeBufferPointer { c in
            out.withUnsafeMutableBufferPointer { o in
                for y in r.y..<r.maxY {
                    for x in r.x..<r.maxX where !picture.contains(x: x, y: y) {
                        let p = (y * w + x) * 3, q = ((y - r.y) * r.width + (x - r.x)) * 3
                        o[p] = c[q]; o[p + 1] = c[q + 1]; o[p + 2] = c[q + 2]
                    }
                }
            }
        }
    }
}
