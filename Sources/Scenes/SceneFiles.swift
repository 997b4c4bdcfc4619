import Foundation
import Media

/// The original pipeline's step-1 folder: `image_001.png`, … (more digits past 999) and
/// `timestamps.csv` (`index,image,start,end,duration,start_frame,end_frame`, seconds to the ms).
public enum SceneFiles {
    public static let csvName = "timestamps.csv"
    public static let header = "index,image,start,end,duration,start_frame,end_frame"
    /// Stills decoded and written at once by `export` (the machine has two cores).
    static let writers = 2

    public static func imageName(_ index: Int, count: Int) -> String {
        let digits = max(3, String(count).count)
        let n = String(index)
        return "image_" + String(repeating: "0", count: max(0, digits - n.count)) + n + ".png"
    }

    public static func export(_ scenes: [Scene], to dir: String) throws {
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw MediaError("cannot create the folder '\(dir)': \((error as NSError).localizedDescription)")
        }
        // Stills are written two at a time, each decoded from its packets if deferred, then let go.
        // A failure (a full disk) takes back the stills this call wrote: no table, no pictures.
        let work = WorkList(count: scenes.count)
        let written = Written()
        DispatchQueue.concurrentPerform(iterations: min(SceneFiles.writers, scenes.count)) { _ in
            while let k = work.next() {
                guard let image = scenes[k].image else { continue }
                let wasDeferred = image.isDeferred
                let path = (dir as NSString).appendingPathComponent(imageName(scenes[k].index, count: scenes.count))
                do {
                    try image.writePNG(to: path)
                    written.add(path)
                } catch { work.fail(error) }
                if wasDeferred { image.unload() }
            }
        }
        if let error = work.error {
            written.removeAll()
            throw error
        }
        var csv = header + "\n"
        for s in scenes {
            let name = imageName(s.index, count: scenes.count)
            csv += "\(s.index),\(name)," + [s.start, s.stop, s.duration].map { String(format: "%.3f", $0) }.joined(separator: ",")
                + ",\(s.startFrame),\(s.stopFrame)\n"
        }
        do { try AtomicFile.write(csv, to: (dir as NSString).appendingPathComponent(csvName)) } catch {
            written.removeAll()
            throw error
        }
    }

    /// The files an export wrote, for taking them back.
    final class Written: @unchecked Sendable {  // guarded by `lock`
        private let lock = NSLock()
        private var paths: [String] = []
        func add(_ path: String) { lock.withLock { paths.append(path) } }
        func removeAll() { lock.withLock { for p in paths { unlink(p) }; paths = [] } }
    }

    public static func `import`(from dir: String) throws -> [Scene] {
        let path = (dir as NSString).appendingPathComponent(csvName)
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: dir, isDirectory: &isDir)
        guard exists, isDir.boolValue else {
            throw MediaError("cannot read '\(dir)': \(exists ? "a file, not a folder" : "no such folder") (expected an exported scenes folder)")
        }
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            let why = !FileManager.default.fileExists(atPath: path) ? "no such file" : isDir.boolValue ? "a folder, not a file" : "not readable"
            throw MediaError("cannot read '\(path)': \(why) (expected an exported scenes folder)")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw MediaError("'\(path)' is not UTF-8 text (expected the header '\(header)')")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // spreadsheet programs write a BOM
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == header else {
            throw MediaError("'\(path)' does not start with the header '\(header)'")
        }
        lines.removeFirst()
        var rows: [SceneRow] = []
        for (n, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let row = try SceneRow(line, number: n + 2, file: path)
            if let previous = rows.last { try row.follows(previous, file: path) }
            if let same = rows.first(where: { $0.index == row.index }) {
                throw MediaError("'\(path)' line \(row.line): index \(row.index) is already used on line \(same.line); expected each scene once")
            }
            rows.append(row)
        }
        return try rows.map { row in
            let image = try Image.read(path: (dir as NSString).appendingPathComponent(row.image))
            return Scene(index: row.index, startFrame: row.startFrame, stopFrame: row.stopFrame, start: row.start, stop: row.stop, image: image)
        }
    }

}

/// One line of timestamps.csv, checked: numbers that make sense, an image inside the folder.
struct SceneRow {
    let line: Int, index: Int, image: String, start: Double, stop: Double, startFrame: Int, stopFrame: Int

    init(_ text: String, number: Int, file: String) throws {
        func bad(_ why: String) -> MediaError { MediaError("'\(file)' line \(number): \(why)") }
        let f = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard f.count == 7, let index = Int(f[0]), let start = Double(f[2]), let stop = Double(f[3]),
              let startFrame = Int(f[5]), let stopFrame = Int(f[6]) else {
            throw bad("expected \(SceneFiles.header), got '\(text)'")
        }
        guard index > 0 else { throw bad("index \(index): expected a number > 0") }
        guard !f[1].isEmpty, !f[1].contains("/") else { throw bad("image '\(f[1])': expected a file name inside the folder") }
        guard start.isFinite, stop.isFinite, start >= 0, stop <= 1e7 else {
            throw bad("times \(f[2]) to \(f[3]): expected seconds from 0 to 10000000")
        }
        guard stop > start else { throw bad("the scene ends (\(f[3])) before it starts (\(f[2])); expected start < end") }
        guard startFrame >= 0, stopFrame >= startFrame else {
            throw bad("frames \(startFrame) to \(stopFrame): expected 0 <= start_frame <= end_frame")
        }
        line = number; self.index = index; image = f[1]; self.start = start; self.stop = stop
        self.startFrame = startFrame; self.stopFrame = stopFrame
    }

    /// Scenes come in time order and do not overlap (times are written to the millisecond).
    func follows(_ previous: SceneRow, file: String) throws {
        guard start >= previous.stop - 0.0015 else {
            throw MediaError("'\(file)' line \(line): the scene starts at \(start) s, before the one on line \(previous.line) ends (\(previous.stop) s); expected scenes in time order, not overlapping")
        }
    }
}
