import Foundation
import Testing

/// scripts/build-torch-shim where the pinned CPU wheel is not on pip's index: it falls back to the
/// index's own `torch`, says so, and says what to do when neither installs. pip sees a local index
/// of the test's own (a stand-in `torch` wheel, or nothing); building against a real CUDA torch is
/// scripts/test-torch-shim-cuda-wheel's (by hand: gigabytes from PyPI).
@Suite struct BuildTorchShimTests {
    static func fakeTorchWheel(in dir: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w") as z:
                z.writestr("torch/__init__.py", "__version__ = '0.0.1'\\n")
                info = "torch-0.0.1.dist-info/"
                z.writestr(info + "METADATA", "Metadata-Version: 2.1\\nName: torch\\nVersion: 0.0.1\\n")
                z.writestr(info + "WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
                z.writestr(info + "RECORD", "".join(f + ",,\\n" for f in ["torch/__init__.py", info + "METADATA", info + "WHEEL", info + "RECORD"]))
            """, dir.appendingPathComponent("torch-0.0.1-py3-none-any.whl").path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    /// The script run from a copy of scripts/ (its .venv is the copy's), pip on `links` only.
    static func build(root: URL, links: URL) throws -> Executable.Result {
        let p = Process()
        p.executableURL = root.appendingPathComponent("scripts/build-torch-shim")
        var env = ProcessInfo.processInfo.environment
        env["PIP_CONFIG_FILE"] = "/dev/null"
        env["PIP_NO_INDEX"] = "1"
        env["PIP_FIND_LINKS"] = links.path
        env["PATH"] = "/usr/local/bin:/usr/bin:/bin"  // no python with torch on it
        env.removeValue(forKey: "LIBTORCH")
        env.removeValue(forKey: "PYTHON")
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = err
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return Executable.Result(status: p.terminationStatus, stdout: "", stderr: text)
    }

    @Test func fallsBackToTheIndexTorchAndSaysWhatToDoWhenNoneInstalls() throws {
        let root = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let scripts = root.appendingPathComponent("scripts")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        for s in ["build-torch-shim", "install-deps", "apt-lock-wait"] {
            try FileManager.default.copyItem(at: Executable.packageRoot.appendingPathComponent("scripts/" + s),
                                             to: scripts.appendingPathComponent(s))
        }
        let links = root.appendingPathComponent("links")
        try FileManager.default.createDirectory(at: links, withIntermediateDirectories: true)

        // Nothing installs: what to do.
        let none = try Self.build(root: root, links: links)
        #expect(none.status == 1)
        #expect(none.stderr.contains("torch==2.13.0+cpu is not on pip's index here; installing PyPI's default torch instead"), "\(none.stderr)")
        #expect(none.stderr.contains("pip could install neither torch==2.13.0+cpu nor torch") && none.stderr.contains("LIBTORCH=")
                && none.stderr.contains("kenburns needs none"), "\(none.stderr)")

        // The index has a `torch` (not the +cpu one): it is the one installed and used.
        try Self.fakeTorchWheel(in: links)
        let fallback = try Self.build(root: root, links: links)
        #expect(fallback.stderr.contains("installing PyPI's default torch instead"), "\(fallback.stderr)")
        let installed = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".venv/lib").path)
            .flatMap { try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".venv/lib/\($0)/site-packages").path) }
        #expect(installed.contains("torch-0.0.1.dist-info"), "\(installed)")
        // A stand-in has no libtorch: the script stops there, naming the folder it looked in.
        #expect(fallback.status == 1 && fallback.stderr.contains("no lib/libtorch.so in"), "\(fallback.stderr)")
    }
}
