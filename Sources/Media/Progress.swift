import Foundation

/// The progress line of long work on a terminal: `detect  1234/5400 frames · 412 fps · ETA 10 s`.
/// Silent when stderr is not a terminal (recipes piped to a log, tests) unless forced.
public final class Progress {
    private let label: String
    private let total: Int?
    private let unit: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let enabled: Bool
    private var drewSomething = false

    public init(_ label: String, total: Int?, unit: String = "frames",
                enabled: Bool = isatty(2) != 0 && ProcessInfo.processInfo.environment["PODCAST_I2V_NO_PROGRESS"] == nil) {
        self.label = label
        self.total = total
        self.unit = unit
        self.enabled = enabled
    }

    /// Redraws at most ten times a second.
    public func update(_ done: Int, force: Bool = false) {
        guard enabled else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Progress.line(label: label, done: done, total: total, unit: unit, elapsed: now.timeIntervalSince(start))).utf8))
        drewSomething = true
    }

    /// Clears the line (the caller prints its own summary).
    public func finish() {
        guard enabled, drewSomething else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    public static func line(label: String, done: Int, total: Int?, unit: String, elapsed: TimeInterval) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "\(label)  \(done)"
        if let total { text += "/\(total)" }
        if done == 0 {
            // Nothing done yet: a rate would read 0.
            text += " \(unit)"
        } else if rate > 0 && rate < 1 {
            // Slow work (a denoising step) reads better as seconds per unit.
            let one = unit.hasSuffix("s") ? String(unit.dropLast()) : unit
            text += " \(unit) · " + String(format: "%.1f", 1 / rate) + " s/\(one)"
        } else {
            text += " \(unit) · " + String(format: rate >= 10 ? "%.0f" : "%.2f", rate) + " \(unit)/s"
        }
        if let total, rate > 0, done <= total {
            text += " · ETA " + formatDuration(Double(total - done) / rate)
        }
        return text
    }

    public static func formatDuration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }
}
