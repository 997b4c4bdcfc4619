import Foundation
import Testing

/// scripts/apt-lock-wait (run by scripts/install-deps before apt-get): another program holding the
/// package manager's lock is waited for with a message, not failed on. A lock file of the test's
/// own stands in for dpkg's (PODCAST_I2V_APT_LOCKS).
@Suite struct AptLockWaitTests {
    /// A python process that holds an fcntl lock on `lock` (as apt and dpkg do) until `release` exists.
    static func holder(_ lock: URL, release: URL, holding: URL) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import fcntl, os, sys, time
            fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
            fcntl.lockf(fd, fcntl.LOCK_EX)
            open(sys.argv[3], "w").close()
            while not os.path.exists(sys.argv[2]): time.sleep(0.05)
            """, lock.path, release.path, holding.path]
        try p.run()
        while !FileManager.default.fileExists(atPath: holding.path) && p.isRunning { usleep(20_000) }
        return p
    }

    static func waitScript(_ lock: URL, limit: Int) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = Executable.packageRoot.appendingPathComponent("scripts/apt-lock-wait")
        var env = ProcessInfo.processInfo.environment
        env["PODCAST_I2V_APT_LOCKS"] = lock.path
        env["PODCAST_I2V_APT_WAIT"] = String(limit)
        p.environment = env
        let err = Pipe()
        p.standardError = err
        try p.run()
        return (p, err)
    }

    @Test func waitsForAHeldLockAndGivesUpWithAMessage() throws {
        let dir = try Executable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lock = dir.appendingPathComponent("lock"), release = dir.appendingPathComponent("release")
        let holder = try Self.holder(lock, release: release, holding: dir.appendingPathComponent("holding"))

        // Held for longer than the limit: a clear failure.
        let (short, shortErr) = try Self.waitScript(lock, limit: 2)
        let shortText = String(decoding: shortErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        short.waitUntilExit()
        #expect(short.terminationStatus == 1)
        #expect(shortText.contains("another program holds the package manager's lock") && shortText.contains("still held"), "\(shortText)")

        // Released while waiting: it goes on, saying so.
        let (long, longErr) = try Self.waitScript(lock, limit: 600)
        try Data().write(to: release)
        let longText = String(decoding: longErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        long.waitUntilExit()
        holder.waitUntilExit()
        #expect(long.terminationStatus == 0, "\(longText)")

        // Free: silent, at once.
        let (free, freeErr) = try Self.waitScript(lock, limit: 600)
        let freeText = String(decoding: freeErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        free.waitUntilExit()
        #expect(free.terminationStatus == 0 && freeText.isEmpty, "\(freeText)")
    }
}
