/// A clip whose frames come from a file (mux refuses to overwrite it).
public protocol FileBackedClip: Clip {
    var path: String { get }
}
