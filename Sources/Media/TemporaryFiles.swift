import Foundation

/// The temporary names files are written under before their rename (`AtomicFile`, `Muxer`), and
/// the cleanup of those a killed process left behind: `.<name>.<tag>-<host>-<pid><suffix>`. A run
/// that writes into a folder first removes the temporaries there of processes of this host that
/// are gone (kill -9, a power cut), never another host's (a shared cache folder) nor a live one's.
public enum TemporaryFiles {
    /// This machine's name, reduced to characters safe in a file name.
    static let host: String = {
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, buf.count - 1)
        let name = String(cString: buf).unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "." }
        return name.isEmpty ? "host" : String(String.UnicodeScalarView(name.prefix(64)))
    }()

    static let tags = ["partial", "tmp"]

    /// The temporary path beside `target`: `tag` is "partial" (a muxer) or "tmp" (AtomicFile);
    /// `suffix` keeps a format's extension (".mp4") or makes the name unique ("-1234").
    public static func path(for target: String, tag: String, suffix: String) -> String {
        let url = URL(fileURLWithPath: target)
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(tag)-\(host)-\(getpid())\(suffix)").path
    }

    nonisolated(unsafe) private static var swept = Set<String>()
    private static let lock = NSLock()

    /// Removes the dead temporaries in the folder of `target`, once per folder per process.
    public static func sweep(besides target: String) {
        let folder = URL(fileURLWithPath: target).deletingLastPathComponent().standardizedFileURL.path
        let first: Bool = lock.withLock { swept.insert(folder).inserted }
        guard first, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard deadOwner(of: name) != nil else { continue }
            unlink((folder as NSString).appendingPathComponent(name))
        }
    }

    /// The pid in a temporary's name when it is ours, of this host, and that process is gone.
    static func deadOwner(of name: String) -> Int32? {
        guard name.hasPrefix(".") else { return nil }
        for tag in tags {
            guard let r = name.range(of: ".\(tag)-", options: .backwards) else { continue }
            // <host>-<pid><suffix>; the suffix is ".ext" or "-digits". Older names had no host.
            var rest = Substring(name[r.upperBound...])
            if let dot = rest.lastIndex(of: "."), rest[rest.index(after: dot)...].allSatisfy({ $0.isLetter || $0.isNumber }),
               !rest[rest.index(after: dot)...].isEmpty, rest[rest.index(after: dot)...].contains(where: { $0.isLetter }) {
                rest = rest[..<dot]
            }
            var parts = rest.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            if tag == "tmp", parts.count >= 2, parts.last!.allSatisfy(\.isNumber) {
                parts.removeLast()  // the random part
            }
            guard let last = parts.last, let pid = Int32(last), pid > 0 else { continue }
            let host = parts.dropLast().joined(separator: "-")
            guard host.isEmpty || host == self.host else { return nil }
            guard pid != getpid() else { return nil }
            if kill(pid, 0) == 0 || errno == EPERM { return nil }
            return pid
        }
        return nil
    }
}
