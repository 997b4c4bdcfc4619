import LuaBridge
import Media
import Scenes

/// open, image, detect, export, import, contact_sheet (issue #4).
enum MediaPrimitives {
    static func register(in session: Session) {}
}
