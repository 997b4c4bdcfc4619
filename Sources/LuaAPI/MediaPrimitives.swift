import LuaBridge
import Media
import Scenes

/// open, image, detect, export, import, contact_sheet (issue #4).
enum MediaPrimitives {
    static func register(in session: Session) {
        VideoValue.install(in: session)

        session.register(PrimitiveDoc(
            "open", "open(path) -> Video",
            "Probes a video file: path, duration, fps, frames, width, height, has_audio, audio {codec, sample_rate, channels}.",
            example: "local v = open(\"001.mp4\")\nprint(v.duration, v.fps, v.width, v.height)")) { call in
            let path = try call.string(1, "path")
            return VideoValue.push(try MediaInfo.probe(path), call)
        }

        session.register(PrimitiveDoc(
            "image", "image(path) -> Image",
            "Reads a still (PNG, JPEG, anything FFmpeg reads) as an Image: width, height, img:save, img:resize.",
            example: "local img = image(\"cover.png\")\nimg:resize(640, 360):save(\"small.png\")")) { call in
            let path = try call.string(1, "path")
            return ImageValue.push(try Image.read(path: path), call)
        }

        SceneDetectPrimitive.register(in: session)
        SceneFilesPrimitives.register(in: session)
        ContactSheetPrimitive.register(in: session)
        ReviewPrimitive.register(in: session)
    }
}
