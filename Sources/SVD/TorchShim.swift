import CTorchShimLoader
import Foundation

/// The torch shim (libpodcast_i2v_torch.so), opened with dlopen the first time SVD is used, so
/// that the executable builds and runs on machines with no libtorch. Once opened it stays:
/// libtorch does not survive being unloaded.
public final class TorchShim: @unchecked Sendable {
    public static let libraryName = "libpodcast_i2v_torch.so"
    public static let environmentVariable = "PODCAST_I2V_TORCH_SHIM"

    let api: pi_shim_api
    public let path: String
    public let version: String

    private init(path: String, api: pi_shim_api) {
        self.path = path
        self.api = api
        version = api.shim_version().map { String(cString: $0) } ?? "unknown"
    }

    nonisolated(unsafe) private static var opened: TorchShim?
    private static let lock = NSLock()

    /// The shim, opened on first use; a clear error that says how to build it when absent.
    public static func shared() throws -> TorchShim {
        lock.lock()
        defer { lock.unlock() }
        if let opened { return opened }
        let candidates = searchPaths()
        if let explicit = ProcessInfo.processInfo.environment[environmentVariable], !explicit.isEmpty {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw SVDError(operation: "svd", "\(environmentVariable)=\(explicit): no such file; expected the path of \(libraryName) (scripts/build-torch-shim puts it in .build/torch-shim/)", kind: .shimMissing)
            }
        }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw SVDError(operation: "svd", """
                the torch shim is not built (looked for \(libraryName) in: \(candidates.joined(separator: ", "))).
                Build it from the checkout with `scripts/build-torch-shim` (it uses $LIBTORCH, else the installed Python torch, \
                else installs torch==2.13.0+cpu), or set \(environmentVariable) to the library's path. `kenburns` needs no shim.
                """, kind: .shimMissing)
        }
        var api = pi_shim_api()
        var error = [CChar](repeating: 0, count: 1024)
        guard pi_shim_open(path, &api, &error, error.count) == 0 else {
            throw SVDError(operation: "svd", "cannot load the torch shim '\(path)': \(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)); rebuild it with scripts/build-torch-shim", kind: .shimMissing)
        }
        let shim = TorchShim(path: path, api: api)
        opened = shim
        return shim
    }

    /// `$PODCAST_I2V_TORCH_SHIM`, else beside the executable, else the checkout's
    /// `.build/torch-shim/` above the executable (a `swift build` in a checkout puts the
    /// executable in `.build/<config>/`).
    static func searchPaths() -> [String] {
        var paths: [String] = []
        if let explicit = ProcessInfo.processInfo.environment[environmentVariable], !explicit.isEmpty {
            return [explicit]
        }
        let exe = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                      ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        let dir = exe.deletingLastPathComponent()
        paths.append(dir.appendingPathComponent(libraryName).path)
        var up = dir
        for _ in 0..<6 {
            if up.lastPathComponent == ".build" {
                paths.append(up.appendingPathComponent("torch-shim").appendingPathComponent(libraryName).path)
                break
            }
            up = up.deletingLastPathComponent()
        }
        // Tests run inside an xctest bundle; the package root is found the same way.
        let cwdShim = FileManager.default.currentDirectoryPath + "/.build/torch-shim/" + libraryName
        if !paths.contains(cwdShim) { paths.append(cwdShim) }
        return paths
    }

    func lastError() -> String { api.last_error().map { String(cString: $0) } ?? "unknown error" }
}
