import Foundation
import Media
@testable import Scenes
import Testing

/// A damaged timestamps.csv: each bad row is refused with its line and what was expected; the
/// harmless variations of spreadsheet programs (BOM, CRLF) are read.
struct SceneFilesDamageTests {
    func folder(_ rows: [String], bom: Bool = false, crlf: Bool = false) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-import-\(UUID().uuidString)").path
        let scenes = (1...2).map { k in
            Scene(index: k, startFrame: 0, stopFrame: 1, start: 0, stop: 1, image: Image(width: 4, height: 4, red: 9, green: 9, blue: 9))
        }
        try SceneFiles.export(scenes, to: dir)
        let text = ([SceneFiles.header] + rows).joined(separator: crlf ? "\r\n" : "\n") + "\n"
        try Data(((bom ? "\u{FEFF}" : "") + text).utf8).write(to: URL(fileURLWithPath: dir + "/timestamps.csv"))
        return dir
    }

    func message(_ rows: [String]) throws -> String {
        let dir = try folder(rows)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do { _ = try SceneFiles.import(from: dir); return "" } catch let e as MediaError { return e.message }
    }

    let one = "1,image_001.png,0.000,1.500,1.500,0,45"
    let two = "2,image_002.png,1.500,3.000,1.500,45,90"

    @Test func spreadsheetVariationsAreRead() throws {
        let dir = try folder([one, two], bom: true, crlf: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try SceneFiles.import(from: dir).map(\.index) == [1, 2])
    }

    @Test func badRowsAreRefused() throws {
        #expect(try message([two, one]).hasSuffix("line 3: the scene starts at 0.0 s, before the one on line 2 ends (3.0 s); expected scenes in time order, not overlapping"))
        #expect(try message([one, "2,image_002.png,1.000,3.000,2.000,30,90"]).contains("line 3: the scene starts at 1.0 s"))
        #expect(try message(["1,image_001.png,nan,1.500,1.500,0,45"]).hasSuffix("line 2: times nan to 1.500: expected seconds from 0 to 10000000"))
        #expect(try message(["1,image_001.png,0.000,inf,1.500,0,45"]).contains("line 2: times 0.000 to inf"))
        #expect(try message(["1,image_001.png,2.000,1.000,1.500,0,45"]).contains("expected start < end"))
        #expect(try message([one, "1,image_002.png,1.500,3.000,1.500,45,90"]).contains("line 3: index 1 is already used on line 2"))
        #expect(try message(["1,../image_001.png,0.000,1.500,1.500,0,45"]).contains("expected a file name inside the folder"))
        #expect(try message(["0,image_001.png,0.000,1.500,1.500,0,45"]).contains("index 0: expected a number > 0"))
        #expect(try message(["1,image_001.png,0.000,1.500,1.500,50,45"]).contains("expected 0 <= start_frame <= end_frame"))
    }
}
