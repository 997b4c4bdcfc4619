import Foundation
import Media
import Timeline

/// A card's media: the still (PNG) and the clip as a small H.264 MP4 that loops in the page
/// (an MP4 is a tenth of the GIF of the same frames, and `<video preload="none">` loads only
/// what is on screen).
enum ReviewMedia {
    struct Files {
        let still: String
        let stillWidth: Int
        let stillHeight: Int
        let preview: String
        let previewWidth: Int
        let previewHeight: Int
        let bytes: Int
    }

    /// Previews play at most this often: enough to judge motion, and a long Ken Burns scene
    /// stays a few hundred kilobytes.
    static let maxFPS = 12.0

    static func write(_ card: ReviewCard, into folder: String, width: Int) throws -> Files {
        let stem = String(format: "scene-%04d", card.scene.index)
        let image = card.scene.image!
        let (sw, sh) = fitted(image.width, image.height, width)
        let still = stem + ".png"
        try image.resized(width: sw, height: sh).writePNG(to: folder + "/" + still)

        let clip = card.clip
        let (pw, ph) = fitted(clip.width, clip.height, width)
        var options = MuxOptions()
        options.width = pw
        options.height = ph
        options.fit = .contain
        if clip.fps.double > maxFPS {
            // The largest whole divisor of the clip's rate that is at most maxFPS.
            let step = Int((clip.fps.double / maxFPS).rounded(.up))
            options.fps = Rational(clip.fps.num, clip.fps.den * step)
        }
        options.encoder = VideoEncoderSettings(crf: 30, preset: "veryfast", threads: 1, lookahead: 0)
        options.showProgress = false
        let preview = stem + ".mp4"
        _ = try Renderer.mux(clip, audioFrom: nil, to: folder + "/" + preview, options: options)
        let bytes = [still, preview].reduce(0) { sum, name in
            sum + ((try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? Int) ?? 0)
        }
        return Files(still: still, stillWidth: sw, stillHeight: sh, preview: preview, previewWidth: pw,
                     previewHeight: ph, bytes: bytes)
    }

    /// `width` wide (never wider than the source), even sides for yuv420p.
    static func fitted(_ w: Int, _ h: Int, _ width: Int) -> (Int, Int) {
        let tw = min(width, w)
        let th = Int((Double(h) * Double(tw) / Double(w)).rounded())
        return (max(2, tw & ~1), max(2, th & ~1))
    }
}
