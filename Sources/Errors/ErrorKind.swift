/// What kind of failure an error is. Code branches on the kind — Swift with `switch`, Lua with
/// `err.kind` — never on a message's words, so rewording a message changes no behaviour.
/// The raw values are what Lua sees; they are part of the public API.
public enum ErrorKind: String, Sendable, CaseIterable {
    /// A primitive was called with a wrong argument or option.
    case badArgument = "bad_argument"
    /// Ctrl-C stopped the work.
    case interrupted
    /// A video, audio or picture file could not be opened, decoded, encoded or written.
    case media
    /// A file or folder could not be read, created or replaced (outside FFmpeg).
    case io
    /// The torch shim (libpodcast_i2v_torch) is not built or cannot be loaded.
    case shimMissing = "shim_missing"
    /// A folder given as an SVD model is not one.
    case notModelFolder = "not_model_folder"
    /// The SVD model failed: the shim's error, out of device memory, an unloaded model.
    case model
    /// The clip cache could not be read or written.
    case cache
    /// Anything else (a bug: the message says what).
    case other
}
