import Foundation

/// Test inputs made with the ffmpeg CLI (tests may use it; the product may not).
enum TestMedia {
    static let ffmpeg = "/usr/bin/ffmpeg"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: ffmpeg) }

    static func tempDir(_ tag: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-\(tag)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs ffmpeg with `args` (after `-v error -y`); throws on failure.
    static func make(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ffmpeg)
        p.arguments = ["-v", "error", "-y", "-nostdin"] + args
        let err = Pipe()
        p.standardError = err
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "ffmpeg", code: Int(p.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: String(decoding: data, as: UTF8.self)])
        }
    }

    /// Raw RGB24 frames as ffmpeg decodes them.
    static func rawRGB(_ path: String, to out: URL) throws -> [UInt8] {
        try make(["-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", out.path])
        return [UInt8](try Data(contentsOf: out))
    }
}
