import Foundation

/// The weight files a model folder holds, against what one load reads: the files the chosen
/// variant loads (with their sizes: what `svd.load` is about to read), the ones it needs that are
/// missing (all named at once, before the shim reads anything), and the weight files it never
/// reads (the other variant, `.bin` duplicates of the safetensors, the single-file checkpoints at
/// the top): disk a person may free, and files that a download command can leave out.
public struct ModelWeights: Sendable {
    /// The components the shim loads and the stem of each one's weights file.
    static let components = [("unet", "diffusion_pytorch_model"), ("vae", "diffusion_pytorch_model"), ("image_encoder", "model")]

    public struct File: Sendable, Equatable {
        public let path: String   // relative to the folder
        public let bytes: Int64
    }

    public let toLoad: [File]
    public let missing: [String]
    public let unused: [File]

    public var loadBytes: Int64 { toLoad.reduce(0) { $0 + $1.bytes } }
    public var unusedBytes: Int64 { unused.reduce(0) { $0 + $1.bytes } }

    public init(_ folder: ModelFolder, variant: String?) {
        let fm = FileManager.default
        let root = folder.path
        func size(_ rel: String) -> Int64 { ((try? fm.attributesOfItem(atPath: root + "/" + rel))?[.size] as? NSNumber)?.int64Value ?? 0 }
        var toLoad: [File] = [], missing: [String] = [], unused: [File] = []
        let suffix = variant.map { ".\($0)" } ?? ""
        for (component, stem) in ModelWeights.components {
            let single = "\(component)/\(stem)\(suffix).safetensors"
            var loaded = Set<String>()
            if fm.fileExists(atPath: root + "/" + single) {
                loaded.insert(single)
            } else if let data = fm.contents(atPath: root + "/" + single + ".index.json"),
                      let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let map = json["weight_map"] as? [String: String] {
                for shard in Set(map.values) { loaded.insert("\(component)/\(shard)") }
            } else {
                var why = single
                if variant != nil, fm.fileExists(atPath: root + "/\(component)/\(stem).safetensors") {
                    why += " (the folder has no '\(variant!)' variant of \(component); load without variant)"
                } else if variant == nil, fm.fileExists(atPath: root + "/\(component)/\(stem).fp16.safetensors") {
                    why += " (it has \(stem).fp16.safetensors: load with variant 'fp16')"
                }
                missing.append(why)
            }
            toLoad += loaded.sorted().map { File(path: $0, bytes: size($0)) }
            let files = (try? fm.contentsOfDirectory(atPath: root + "/" + component)) ?? []
            for f in files.sorted() where ModelWeights.isWeights(f) && !loaded.contains("\(component)/\(f)") {
                unused.append(File(path: "\(component)/\(f)", bytes: size("\(component)/\(f)")))
            }
        }
        // svd_xt.safetensors and the like: the original single-file checkpoints, never read.
        for f in ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted() where ModelWeights.isWeights(f) {
            unused.append(File(path: f, bytes: size(f)))
        }
        self.toLoad = toLoad
        self.missing = missing
        self.unused = unused
    }

    static func isWeights(_ name: String) -> Bool {
        name.hasSuffix(".safetensors") || name.hasSuffix(".bin") || name.hasSuffix(".ckpt") || name.hasSuffix(".pt")
    }

    /// "4.51 GB": decimal units, as Hugging Face lists file sizes.
    public static func size(_ bytes: Int64) -> String {
        bytes >= 1_000_000_000 ? String(format: "%.2f GB", Double(bytes) / 1e9) : String(format: "%.1f MB", Double(bytes) / 1e6)
    }

    /// What `svd.load` says before reading: the size it is about to load, per component.
    public func summary(directory: String, variant: String?) -> String {
        let parts = toLoad.map { "\($0.path) \(ModelWeights.size($0.bytes))" }.joined(separator: ", ")
        return "svd.load: \(directory) · \(variant.map { "variant \($0)" } ?? "no variant") · \(ModelWeights.size(loadBytes)) to load (\(parts))"
    }

    /// The note about files this load never reads, or nil when there are none.
    public func unusedNote(variant: String?) -> String? {
        guard !unused.isEmpty else { return nil }
        let list = unused.map { "\($0.path) (\(ModelWeights.size($0.bytes)))" }.joined(separator: ", ")
        return "svd.load: not read with \(variant.map { "variant \($0)" } ?? "no variant"): \(list); "
            + "\(ModelWeights.size(unusedBytes)) that can be deleted (or left out of the download: README, Getting the model)"
    }
}
