import Foundation

/// Finds a recipe by name, as `podcast-i2v run animate` and `podcast-i2v recipes` do: the current
/// folder first (`animate`, `animate.lua`, `recipes/animate.lua`), then `$PODCAST_I2V_RECIPES`
/// (folders separated by ':'), then the installed ones (`<prefix>/share/podcast-i2v/recipes`
/// beside `<prefix>/bin/podcast-i2v`), then the checkout's `recipes/` when the executable is a
/// `swift build` of it. A recipe found in an installed folder finds its `lib/` there too.
public struct RecipeLocator {
    public var currentDirectory: String
    public var environment: [String: String]
    public var executable: URL

    public init(currentDirectory: String = FileManager.default.currentDirectoryPath,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                executable: URL = RecipeLocator.runningExecutable()) {
        self.currentDirectory = currentDirectory
        self.environment = environment
        self.executable = executable
    }

    public static func runningExecutable() -> URL {
        URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
    }

    /// Folders searched for recipes by name, in order, each once; ones that do not exist are kept
    /// (an error message lists where it looked).
    public var folders: [String] {
        var list = [currentDirectory, currentDirectory + "/recipes"]
        for p in (environment["PODCAST_I2V_RECIPES"] ?? "").split(separator: ":") where !p.isEmpty {
            list.append(String(p))
        }
        let bin = executable.deletingLastPathComponent()
        list.append(bin.deletingLastPathComponent().appendingPathComponent("share/podcast-i2v/recipes").path)
        // A checkout's build: .build/<triple>/<config>/podcast-i2v, the package root above .build.
        var up = bin
        for _ in 0..<4 {
            if up.lastPathComponent == ".build" {
                list.append(up.deletingLastPathComponent().appendingPathComponent("recipes").path)
                break
            }
            up = up.deletingLastPathComponent()
        }
        var seen = Set<String>()
        return list.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.filter { seen.insert($0).inserted }
    }

    /// Whether `name` is meant as a path (has a '/') rather than a recipe name.
    public static func isPath(_ name: String) -> Bool { name.contains("/") }

    public enum Lookup: Equatable {
        case found(String)
        case notFound(message: String)
    }

    /// The file `run NAME` runs. A name with a '/' is a path and taken as it is.
    public func find(_ name: String) -> Lookup {
        if RecipeLocator.isPath(name) { return .found(name) }
        let fm = FileManager.default
        var isDir: ObjCBool = false
        // The name as given, in the current folder (a file without .lua too).
        if fm.fileExists(atPath: name, isDirectory: &isDir), !isDir.boolValue { return .found(name) }
        let file = name.hasSuffix(".lua") ? name : name + ".lua"
        for folder in folders {
            let path = folder + "/" + file
            if fm.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                return .found(folder == currentDirectory ? file : path)
            }
        }
        let known = list().map(\.name)
        let hint = known.isEmpty ? "no recipes are installed" : "known: " + known.joined(separator: ", ")
        return .notFound(message: "no recipe '\(name)' (looked for \(file) in: \(folders.joined(separator: ", "))); \(hint). "
            + "`podcast-i2v recipes` lists them")
    }

    public struct Entry: Equatable {
        public let name: String
        public let path: String
        /// The recipe's first comment line, without its leading `--`.
        public let summary: String
        /// A recipe of the same name in an earlier folder is run instead.
        public let shadowed: Bool
    }

    /// Every recipe in the search folders (not the current folder's stray .lua files: only
    /// `recipes/` there and the other folders), in search order.
    public func list() -> [Entry] {
        var entries: [Entry] = []
        var names = Set<String>()
        for folder in folders where folder != currentDirectory {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for f in files.sorted() where f.hasSuffix(".lua") && !f.hasPrefix(".") {
                let name = String(f.dropLast(4))
                let path = folder + "/" + f
                entries.append(Entry(name: name, path: path, summary: RecipeLocator.summary(of: path),
                                     shadowed: !names.insert(name).inserted))
            }
        }
        return entries
    }

    static func summary(of path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        for line in String(decoding: data.prefix(2048), as: UTF8.self).split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("#!") { continue }
            guard t.hasPrefix("--") else { return "" }
            var text = String(t.drop { $0 == "-" || $0 == " " })
            // "recipes/tune.lua: re-roll ..." reads as "re-roll ...".
            if let colon = text.range(of: ".lua: "), !text[..<colon.lowerBound].contains(" ") {
                text = String(text[colon.upperBound...])
            }
            if !text.isEmpty { return text }
        }
        return ""
    }
}
