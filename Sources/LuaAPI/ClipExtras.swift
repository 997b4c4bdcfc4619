import Foundation
import LuaBridge
import Media
import Timeline

/// The clip methods a person uses to look at generated motion: `clip:preview()` and
/// `clip:save_frames(dir)` (lossless PNG per frame).
enum ClipExtras {
    static let docs: [PrimitiveDoc] = [
        PrimitiveDoc("Clip:preview", "clip:preview([path | {path=, width=}]) -> path",
                     "Writes a small animated GIF of the clip, shows it inline in kitty, iTerm2 or sixel terminals, prints its path.",
                     options: [("path", "where the GIF goes (default: a file under $TMPDIR/podcast-i2v-previews)"),
                               ("width", "preview width in pixels (default 320)")],
                     example: "svd(scenes[2].image, {seed = 3}):preview()"),
    ]

    static func add(to cls: LuaClass<ClipBox>) {
        cls.method("preview") { box, call in
            var path: String?
            var width = 320
            if call.type(2) == .string {
                path = try call.string(2, "path")
            } else if let t = try call.optionalTable(2, "options") {
                try t.checkKnown(["path", "width"])
                path = try t.string("path")
                if let w = try t.integer("width") {
                    guard w >= 16, w <= 4096 else { throw call.error("option 'width': expected 16 to 4096, got \(w)") }
                    width = w
                }
            }
            let target = path ?? ClipPreview.defaultPath()
            guard target.lowercased().hasSuffix(".gif") else {
                throw call.argumentError(2, "path", expected: "a .gif path", got: "'\(target)'")
            }
            let (frames, fps) = try ClipPreview.frames(of: box.clip, maxWidth: width)
            let gif = GIFEncoder.encode(frames, fps: fps)
            do {
                try gif.write(to: URL(fileURLWithPath: target), options: .atomic)
            } catch {
                throw call.error("cannot write '\(target)': \(error.localizedDescription)")
            }
            var text = ClipPreview.inline(ClipPreview.detect(), gif: gif, frames: frames)
            text += "preview: \(target) (\(frames.count) frames, \(frames[0].width)x\(frames[0].height))\n"
            FileHandle.standardOutput.write(Data(text.utf8))
            return call.push(target)
        }
    }
}
