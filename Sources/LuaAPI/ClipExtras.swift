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
        PrimitiveDoc("Clip:save_frames", "clip:save_frames(dir) -> count",
                     "Writes every frame as a lossless PNG, dir/frame_0001.png, ...; the folder is made if needed.",
                     example: "c:save_frames('scene7-frames')"),
    ]

    static func add(to cls: LuaClass<ClipBox>) {
        cls.method("save_frames") { box, call in
            let dir = try call.string(2, "dir")
            return try call.push(saveFrames(box.clip, to: dir, call))
        }
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
            try GIFEncoder.write(frames, fps: fps, to: target)
            let graphics = ClipPreview.detect()
            var gif = Data()
            if graphics == .iterm {
                do { gif = try Data(contentsOf: URL(fileURLWithPath: target)) } catch {
                    throw call.error("cannot read '\(target)': \(error.localizedDescription)")
                }
            }
            var text = try ClipPreview.inline(graphics, gif: gif, frames: frames)
            text += "preview: \(target) (\(frames.count) frames, \(frames[0].width)x\(frames[0].height))\n"
            FileHandle.standardOutput.write(Data(text.utf8))
            return call.push(target)
        }
    }

    /// Frames into `dir`; never overwrites a file that is not one of ours from before (a folder
    /// of other PNGs named frame_NNNN.png is the person's, so it is an error).
    static func saveFrames(_ clip: any Clip, to dir: String, _ call: LuaCall) throws -> Int {
        var isDir: ObjCBool = false
        let existed = FileManager.default.fileExists(atPath: dir, isDirectory: &isDir)
        if existed, !isDir.boolValue {
            throw call.argumentError(2, "dir", expected: "a folder", got: "the file '\(dir)'")
        }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw call.error("cannot create '\(dir)': \(error.localizedDescription)")
        }
        // What a run killed here before left (frames are written under temporary names first).
        Media.TemporaryFiles.sweep(besides: (dir as NSString).appendingPathComponent("frame"))
        let digits = max(4, String(clip.frameCount).count)
        let names = (1...max(1, clip.frameCount)).map { String(format: "frame_%0\(digits)d.png", $0) }
        let taken = names.prefix(clip.frameCount).filter { FileManager.default.fileExists(atPath: dir + "/" + $0) }
        if let first = taken.first {
            throw call.error("'\(dir)' already holds \(first) (and \(taken.count - 1) more); expected an empty or new folder, nothing was overwritten")
        }
        let reader = try clip.makeReader()
        let progress = Media.Progress("save_frames", total: clip.frameCount)
        defer { progress.finish() }
        // All or nothing: a failure (a full disk, Ctrl-C) takes back the frames this call wrote.
        var written = 0
        do {
            for i in 0..<clip.frameCount {
                try Interrupt.check()
                try reader.frame(i).writePNG(to: dir + "/" + names[i])
                written = i + 1
                progress.update(i + 1)
            }
        } catch {
            for name in names.prefix(written) { unlink(dir + "/" + name) }
            if !existed { rmdir(dir) }
            throw error
        }
        return clip.frameCount
    }
}
