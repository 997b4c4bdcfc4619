import Foundation
import Media
@testable import Scenes
import Testing

struct SceneFilesTests {
    @Test func exportImportRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pi2v-export-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scenes = (1...3).map { k in
            Scene(index: k, startFrame: (k - 1) * 45, stopFrame: k * 45, start: Double(k - 1) * 1.5, stop: Double(k) * 1.5,
                  image: Image(width: 8, height: 6, red: UInt8(k * 40), green: 7, blue: 200))
        }
        try SceneFiles.export(scenes, to: dir)
        let back = try SceneFiles.import(from: dir)
        #expect(back.map(\.index) == [1, 2, 3])
        #expect(back.map(\.startFrame) == [0, 45, 90] && back.map(\.stopFrame) == [45, 90, 135])
        #expect(back.map(\.start) == [0, 1.5, 3] && back.map(\.stop) == [1.5, 3, 4.5])
        #expect(zip(back, scenes).allSatisfy { $0.image!.pixels == $1.image!.pixels })
        #expect(SceneFiles.imageName(7, count: 12) == "image_007.png")
        #expect(SceneFiles.imageName(7, count: 1200) == "image_0007.png")
        let csv = try String(contentsOfFile: dir + "/timestamps.csv", encoding: .utf8)
        #expect(csv.hasPrefix("index,image,start,end,duration,start_frame,end_frame\n1,image_001.png,0.000,1.500,1.500,0,45\n"))
        #expect(throws: MediaError.self) { try SceneFiles.import(from: dir + "/nope") }
    }
}
