import Foundation

/// Paths as FFmpeg must see them, and the files it must not be handed.
enum FilePath {
    /// FFmpeg reads `pipe:0.mp4` or `http:x.mp4` as a protocol and a name with `%d` as a
    /// numbered sequence; a person's file name is always just a file.
    static func ffmpegURL(_ path: String) -> String {
        path.contains(":") ? "file:" + path : path
    }

    /// Why `path` cannot be read as a media file (a folder, a FIFO that would block the open
    /// forever, a device), or nil: missing files are left to FFmpeg's own words.
    static func notReadable(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "it is a folder; expected a file"
        case S_IFIFO: return "it is a FIFO (named pipe); expected a regular file"
        case S_IFCHR, S_IFBLK: return "it is a device; expected a regular file"
        case S_IFSOCK: return "it is a socket; expected a regular file"
        default: return "not a regular file"
        }
    }
}
