import LuaBridge
import Media
import Timeline

/// clip, still, kenburns, pad, concat, mux (issue #5).
enum TimelinePrimitives {
    static func register(in session: Session) {}
}
