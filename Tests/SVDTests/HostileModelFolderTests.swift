import Errors
import Foundation
@testable import SVD
import Testing

/// Hostile model folders through `SVDService.load` (what `svd.load` calls): the error is a model
/// error naming the file and what was expected, the service stays usable, nothing is loaded.
/// The shim's own test program covers the cases one by one (test_hostile.cpp).
@Suite(.serialized, .enabled(if: Fixture.runs)) struct HostileModelFolderTests {
    func copy(_ dir: URL) throws -> URL {
        let m = dir.appendingPathComponent("model-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: Fixture.model, toPath: m.path)
        return m
    }

    func loadError(_ service: SVDService, _ folder: URL) -> (kind: ErrorKind?, message: String) {
        do {
            _ = try service.load(directory: folder.path, options: .init())
            return (nil, "loaded")
        } catch let e as UserFacingError {
            return (e.kind, e.message)
        } catch {
            return (nil, "\(error)")
        }
    }

    @Test func damagedFoldersAreModelErrorsNamingTheFile() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = SVDService(cacheDirectory: dir.appendingPathComponent("cache"))

        let frames = try copy(dir)  // a billion frames: refused at load, nothing allocated
        let unet = frames.appendingPathComponent("unet/config.json")
        var text = try String(contentsOf: unet, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"num_frames\": 3", with: "\"num_frames\": 1000000000")
        try text.write(to: unet, atomically: true, encoding: .utf8)
        var r = loadError(service, frames)
        #expect(r.kind == .model && r.message.contains("unet/config.json") && r.message.contains("num_frames")
                && r.message.contains("1..128"), "\(r)")

        let header = try copy(dir)  // a header length past the end of the file
        let weights = header.appendingPathComponent("vae/diffusion_pytorch_model.safetensors")
        let handle = try FileHandle(forWritingTo: weights)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 8))
        try handle.close()
        r = loadError(service, header)
        #expect(r.kind == .model && r.message.contains("vae/diffusion_pytorch_model.safetensors")
                && r.message.contains("runs past the end"), "\(r)")

        let deep = try copy(dir)  // nested past any config's depth
        try String(repeating: "[", count: 50_000).write(to: deep.appendingPathComponent("vae/config.json"), atomically: true, encoding: .utf8)
        r = loadError(service, deep)
        #expect(r.kind == .model && r.message.contains("vae/config.json") && r.message.contains("nested too deeply"), "\(r)")

        #expect(service.loads == 0)
        let good = try service.load(directory: Fixture.model, options: .init())
        #expect(good.numFrames == 3, "the service goes on")
    }
}
