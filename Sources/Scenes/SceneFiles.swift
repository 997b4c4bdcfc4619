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
        let work = WorkList(count: scenes.count)
        DispatchQueue.concurrentPerform(iterations: min(SceneFiles.writers, scenes.count)) { _ in
            while let k = work.next() {
                guard let image = scenes[k].image else { continue }
                let wasDeferred = image.isDeferred
                do {
                    try image.writePNG(to: (dir as NSString).appendingPathComponent(imageName(scenes[k].index, count: scenes.count)))
                } catch { work.fail(error) }
                if wasDeferred { image.unload() }
            }
        }
        if let error = work.error { throw error }
        var csv = header + "\n"
        for s in scenes {
            let name = imageName(s.index, count: scenes.count)
            csv += "\(s.index),\(name)," + [s.start, s.stop, s.duration].map { String(format: "%.3f", $0) }.joined(separator: ",")
                + ",\(s.startFrame),\(s.stopFrame)\n"
        }
        try AtomicFile.write(csv, to: (dir as NSString).appendingPathComponent(csvName))
    }

    public static func `import`(from dir: String) throws -> [Scene] {
        let path = (dir as NSString).appendingPathComponent(csvName)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw MediaError("cannot read '\(path)': no such file (expected an exported scenes folder)")
        }
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == header else {
            throw MediaError("'\(path)' does not start with the header '\(header)'")
        }
        lines.removeFirst()
        var scenes: [Scene] = []
        for (n, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == 7, let index = Int(f[0]), let start = Double(f[2]), let stop = Double(f[3]),
                  let startFrame = Int(f[5]), let stopFrame = Int(f[6]) else {
                throw MediaError("'\(path)' line \(n + 2): expected \(header), got '\(line)'")
            }
            let image = try Image.read(path: (dir as NSString).appendingPathComponent(f[1]))
            scenes.append(Scene(index: index, startFrame: startFrame, stopFrame: stopFrame, start: start, stop: stop, image: image))
        }
        return scenes
    }

}
