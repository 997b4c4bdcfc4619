import Errors
import Foundation
import LuaBridge
import Media
import SVD
import Timeline

/// `motion_cmd(command, image, seconds, {timeout, label, ext})`: any external tool as a motion
/// source. The command line gets {in} (the still as PNG), {out} (where to write the video) and
/// {seconds}; its video is kept in the clip cache's folder under a key of the command, the
/// still's pixels and the length, so a re-run runs nothing.
enum MotionCommandPrimitive {
    static func register(in session: Session) {
        session.register(PrimitiveDoc(
            "motion_cmd", "motion_cmd(command, image, seconds, {timeout = 600, label, ext = 'mp4'}) -> Clip, cached",
            "Runs an external motion tool on a still (through /bin/sh) and returns the video it wrote, cached by command, still and length. "
                + "{in}, {out} and {seconds} in the command become the PNG's path, the video's path and the length (quoted).",
            options: [("timeout", "seconds before the command is stopped (default 600)"),
                      ("label", "what errors and the progress line name, e.g. 'scene 3/12'"),
                      ("ext", "the output's file extension (default 'mp4')")],
            example: "local c = motion_cmd('mytool {in} {out} {seconds}', s.image, s.duration, {label = 'scene 3'})")) { call in
            let command = try call.string(1, "command")
            guard command.contains("{out}") else {
                throw call.argumentError(1, "command", expected: "a command line with {out} (and usually {in}, {seconds})", got: "'\(command)'")
            }
            let image = try ImageValue.check(call, 2, "image")
            let seconds = try TimelinePrimitives.positiveSeconds(call, 3)
            var timeout = 600.0, label = "motion command", ext = "mp4"
            if let t = try call.optionalTable(4, "options") {
                try t.checkKnown(["timeout", "label", "ext"])
                if let v = try t.number("timeout") {
                    guard v > 0, v.isFinite else { throw call.error("option 'timeout': expected seconds > 0, got \(v)") }
                    timeout = v
                }
                if let v = try t.string("label") { label = v }
                if let v = try t.string("ext") {
                    guard !v.isEmpty, v.allSatisfy({ $0.isLetter || $0.isNumber }) else { throw call.error("option 'ext': expected letters and digits such as 'mp4', got '\(v)'") }
                    ext = v
                }
            }
            let cache = SVDPrimitives.cache(for: call.state)
            let (path, cached) = try run(command, image: image, seconds: seconds, timeout: timeout, ext: ext, cache: cache) { call.error("\(label): \($0)") }
            let clip: FileClip
            do { clip = try FileClip(path: path) } catch {
                try? FileManager.default.removeItem(atPath: path)
                throw call.error("\(label): the command's output is not a video FFmpeg reads: \(error)")
            }
            ClipValue.push(clip, origin: "motion command" + (cached ? " (cached)" : ""), call)
            call.push(cached)
            return 2
        }
    }

    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The cached video's path (made now unless cached) and whether it was cached.
    static func run(_ command: String, image: Image, seconds: Double, timeout: Double, ext: String, cache: ClipCache,
                    fail: (String) -> Error) throws -> (String, Bool) {
        let pixels = ContentHash()
        pixels.update(image.pixels)
        let secondsText = String(format: "%.3f", seconds)
        let key = ContentHash.hex(of: """
            podcast-i2v motion command v1
            command=\(command)
            seconds=\(secondsText) ext=\(ext)
            image=\(image.width)x\(image.height) \(pixels.hex())
            """)
        let dir = cache.filesDirectory.appendingPathComponent(String(key.prefix(2)))
        let target = dir.appendingPathComponent("\(key).\(ext)").path
        if FileManager.default.fileExists(atPath: target) { return (target, true) }
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw fail("cannot create '\(dir.path)': \(error.localizedDescription)")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("podcast-i2v-motion-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let input = work.appendingPathComponent("still.png").path
        let output = work.appendingPathComponent("motion.\(ext)").path
        let log = work.appendingPathComponent("output.log").path
        try image.writePNG(to: input)
        let line = command.replacingOccurrences(of: "{in}", with: quoted(input))
            .replacingOccurrences(of: "{out}", with: quoted(output))
            .replacingOccurrences(of: "{seconds}", with: secondsText)

        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let p = Process()
        // coreutils' timeout stops the whole process group (the shell and what it started).
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["--kill-after=5", String(format: "%.3f", timeout), "/bin/sh", "-c", line]
        p.standardInput = FileHandle.nullDevice
        let logHandle = FileHandle(forWritingAtPath: log)
        p.standardOutput = logHandle
        p.standardError = logHandle
        do { try p.run() } catch { throw fail("cannot start the command: \(error.localizedDescription)") }
        while p.isRunning {
            if Interrupt.requested {
                p.terminate()
                p.waitUntilExit()
                throw Interrupted()
            }
            usleep(50_000)
        }
        try? logHandle?.close()
        let tail = (try? String(contentsOfFile: log, encoding: .utf8))?
            .split(separator: "\n").suffix(5).joined(separator: "\n") ?? ""
        let said = tail.isEmpty ? "" : "; it said:\n" + tail
        if p.terminationStatus == 124 || p.terminationStatus == 137 {
            throw fail("the motion command took longer than \(String(format: "%g", timeout)) s and was stopped: \(line)")
        }
        guard p.terminationStatus == 0 else {
            throw fail("the motion command failed (exit status \(p.terminationStatus)): \(line)\(said)")
        }
        guard let size = (try? FileManager.default.attributesOfItem(atPath: output))?[.size] as? Int, size > 0 else {
            throw fail("the motion command wrote nothing to {out}: \(line)\(said)")
        }
        // Into the cache under its key: a rename when the temp folder is on the same disk, else a copy then a rename.
        let staging = dir.appendingPathComponent(".\(key).tmp-\(getpid()).\(ext)").path
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try FileManager.default.copyItem(atPath: output, toPath: staging)
            guard rename(staging, target) == 0 else { throw Failure(.io, String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw fail("cannot keep the video in the cache at '\(target)': \(error)")
        }
        return (target, false)
    }
}
