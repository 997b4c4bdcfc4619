import Foundation

/// Where the REPL keeps its history: `$XDG_STATE_HOME/podcast-i2v/history`, else
/// `~/.local/state/podcast-i2v/history` (the XDG base-directory rule for state).
public enum HistoryFile {
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state: String
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            state = xdg
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            state = home + "/.local/state"
        }
        return state + "/podcast-i2v/history"
    }

    /// Makes the folder; returns nil (history kept in memory only) when that is impossible.
    static func prepare(_ path: String) -> String? {
        let dir = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            return path
        } catch {
            FileHandle.standardError.write(Data("podcast-i2v: history not kept: cannot create '\(dir)': \(error.localizedDescription)\n".utf8))
            return nil
        }
    }
}
