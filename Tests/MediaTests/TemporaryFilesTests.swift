import Foundation
@testable import Media
import Testing

/// Temporaries a killed process left (kill -9 mid-mux, mid-write) are removed by the next write
/// into their folder; a live process's, another host's and other people's files are not.
struct TemporaryFilesTests {
    /// The pid of a process that has ended.
    func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    @Test func namesCarryHostAndPID() {
        let path = TemporaryFiles.path(for: "/x/out.mp4", tag: "partial", suffix: ".mp4")
        #expect(path == "/x/.out.mp4.partial-\(TemporaryFiles.host)-\(getpid()).mp4")
        #expect(TemporaryFiles.deadOwner(of: (path as NSString).lastPathComponent) == nil)  // this process: alive
    }

    @Test func deadOwnersAreRecognised() throws {
        let dead = try deadPID()
        let host = TemporaryFiles.host
        #expect(TemporaryFiles.deadOwner(of: ".out.mp4.partial-\(host)-\(dead).mp4") == dead)
        #expect(TemporaryFiles.deadOwner(of: ".a b.png.tmp-\(host)-\(dead)-12345") == dead)
        // Names from before the host was in them count as this host's.
        #expect(TemporaryFiles.deadOwner(of: ".out.mp4.partial-\(dead).mp4") == dead)
        #expect(TemporaryFiles.deadOwner(of: ".out.png.tmp-\(dead)-777") == dead)
        // Another machine's writer on a shared folder may be alive: never touched.
        #expect(TemporaryFiles.deadOwner(of: ".out.mp4.partial-otherhost-\(dead).mp4") == nil)
        #expect(TemporaryFiles.deadOwner(of: ".out.mp4.partial-\(host)-1.mp4") == nil)  // init is alive
        for name in ["out.mp4", ".hidden", ".out.mp4.partial-x.mp4", "frame.tmp-12", ".x.tmp-", ".x.partial-0.mp4"] {
            #expect(TemporaryFiles.deadOwner(of: name) == nil, "\(name)")
        }
    }

    @Test func theNextWriteSweepsTheFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let dead = try deadPID()
        let stale = [".a.mp4.partial-\(TemporaryFiles.host)-\(dead).mp4", ".b.png.tmp-\(dead)-42"]
        let kept = [".c.mp4.partial-otherhost-\(dead).mp4", ".d.png.tmp-\(TemporaryFiles.host)-\(getpid())-1", "e.mp4"]
        for name in stale + kept { try Data("x".utf8).write(to: dir.appendingPathComponent(name)) }
        try AtomicFile.write("hello", to: dir.appendingPathComponent("new.txt").path)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(left == Set(kept + ["new.txt"]))
    }
}
