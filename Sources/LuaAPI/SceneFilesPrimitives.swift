import LuaBridge
import Media
import Scenes

/// `export`, `import`, `contact_sheet`.
enum SceneFilesPrimitives {
    static func register(in session: Session) {}
}
