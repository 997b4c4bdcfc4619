import Foundation
import LuaBridge

/// fs.stat, fs.list and fs.clock: what batch recipes need to find episodes, tell an output that
/// is up to date from one that is not, and time their work; plain Lua has none of these.
enum FilePrimitives {
    static func register(in session: Session) {
        session.register(PrimitiveDoc(
            "fs.stat", "fs.stat(path) -> {kind, size, mtime} or nil",
            "What is at a path: kind 'file', 'dir' or 'other', size in bytes, modification time in seconds "
                + "since 1970 (with fractions); nil when nothing is there.",
            example: "local s = fs.stat('ep1.mp4'); if s then print(s.size, s.mtime) end"), in: "fs", as: "stat") { call in
            let path = try call.string(1, "path")
            var st = stat()
            guard stat(path, &st) == 0 else { return call.pushNil() }
            let t = call.newTable(fieldCount: 3)
            let kind: String
            switch st.st_mode & S_IFMT {
            case S_IFREG: kind = "file"
            case S_IFDIR: kind = "dir"
            default: kind = "other"
            }
            t.set("kind", kind)
            t.set("size", Int(st.st_size))
            t.set("mtime", Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
            return 1
        }
        session.register(PrimitiveDoc(
            "fs.list", "fs.list(dir) -> {name, ...}",
            "The names in a folder, sorted (hidden ones left out); an error names the folder when it cannot be read.",
            example: "for _, name in ipairs(fs.list('episodes')) do print(name) end"), in: "fs", as: "list") { call in
            let dir = try call.string(1, "dir")
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted()
            } catch {
                throw call.error("cannot list '\(dir)': expected a readable folder")
            }
            let t = call.newTable(arrayCount: names.count)
            for (i, name) in names.enumerated() {
                call.push(name)
                t.setTop(i + 1)
            }
            return 1
        }
        session.register(PrimitiveDoc(
            "fs.clock", "fs.clock() -> seconds",
            "A monotonic wall clock in seconds (os.clock is CPU time): subtract two readings to time work.",
            example: "local t0 = fs.clock(); sleep(0.1); print(fs.clock() - t0)"), in: "fs", as: "clock") { call in
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return call.push(Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9)
        }
    }
}
