import Foundation
import Media
import Testing
@testable import Timeline

/// Test inputs made with the ffmpeg CLI at test time, and probes of what mux wrote.
enum TestMedia {
    static let dir: String = {
        let d = NSTemporaryDirectory() + "timeline-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    static func path(_ name: String) -> String { dir + "/" + name }

    @discardableResult
    static func run(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw MediaError("\(args.joined(separator: " ")): \(String(decoding: errData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A video made by ffmpeg: `audio` is "aac", "mp3" or nil.
    static func video(_ name: String, width: Int = 160, height: Int = 90, fps: String = "25", seconds: Double = 2,
                      audio: String? = "aac", container: String = "mp4") throws -> String {
        let out = path(name)
        if FileManager.default.fileExists(atPath: out) { return out }
        var args = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=\(width)x\(height):rate=\(fps):duration=\(seconds)"]
        if let audio {
            args += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=\(seconds)"]
            args += ["-c:a", audio == "mp3" ? "libmp3lame" : "aac"]
        }
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-shortest", out]
        try run(args)
        return out
    }

    static func probe(_ file: String) throws -> [String: Any] {
        let json = try run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-count_frames", "-of", "json", file])
        return try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    }

    static func streams(_ file: String) throws -> [[String: Any]] { try probe(file)["streams"] as! [[String: Any]] }

    static func stream(_ file: String, _ type: String) throws -> [String: Any]? {
        try streams(file).first { $0["codec_type"] as? String == type }
    }

    static func double(_ v: Any?) -> Double { Double(v as? String ?? "") ?? .nan }

    /// `size,pts,hash` of every audio packet.
    static func audioPackets(_ file: String) throws -> [String] {
        try run(["ffprobe", "-v", "error", "-select_streams", "a", "-show_data_hash", "md5", "-show_entries",
                 "packet=size,data_hash", "-of", "csv=p=0", file])
            .split(separator: "\n").map(String.init)
    }

    /// Every decoded frame's middle pixel (grey level) after scaling to 8x8.
    static func frameLevels(_ file: String) throws -> [Int] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ffmpeg", "-v", "error", "-i", file, "-vf", "scale=8:8", "-f", "rawvideo", "-pix_fmt", "gray", "-"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return stride(from: 0, to: data.count - 63, by: 64).map { Int(data[data.startIndex + $0 + 36]) }
    }

    /// A clip whose frame k is a flat grey that encodes k: level(k) = 16 + 20 * k.
    static func indexClip(frames: Int, fps: Int, size: Int = 32) -> FunctionClip {
        FunctionClip(width: size, height: size, fps: Rational(fps), frameCount: frames) { k in
            let v = UInt8(level(k))
            return Image(width: size, height: size, red: v, green: v, blue: v)
        }
    }

    static func level(_ k: Int) -> Int { 16 + 20 * k }

    /// The source index a decoded grey level stands for.
    static func index(ofLevel v: Int) -> Int { Int((Double(v - 16) / 20).rounded()) }
}
