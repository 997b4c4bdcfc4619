import LuaBridge
import Media
import Scenes

/// `detect(video_or_path, opts)`.
enum SceneDetectPrimitive {
    static func register(in session: Session) {}
}
