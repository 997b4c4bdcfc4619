import Foundation
@testable import SVD
import Testing

/// What `svd.load` says about a model folder's weights before loading: no shim needed.
@Suite struct ModelWeightsTests {
    /// A folder as Hugging Face's repository has it: the configs, both variants of every weight
    /// file, a .bin duplicate and the single-file checkpoint at the top (sizes scaled down).
    static func downloadedEverything() throws -> URL {
        let dir = try Fixture.temporaryDirectory()
        func put(_ rel: String, _ bytes: Int) throws {
            let url = dir.appendingPathComponent(rel)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(count: bytes).write(to: url)
        }
        for rel in ModelFolder.requiredFiles { try put(rel, 10) }
        try put("unet/diffusion_pytorch_model.fp16.safetensors", 3_050_000)
        try put("unet/diffusion_pytorch_model.safetensors", 6_100_000)
        try put("vae/diffusion_pytorch_model.fp16.safetensors", 196_000)
        try put("vae/diffusion_pytorch_model.bin", 392_000)
        try put("image_encoder/model.fp16.safetensors", 1_260_000)
        try put("svd_xt.safetensors", 9_560_000)
        return dir
    }

    @Test func theFP16VariantLoadsItsFilesAndNamesTheRest() throws {
        let dir = try Self.downloadedEverything()
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = ModelWeights(try ModelFolder(dir.path), variant: "fp16")
        #expect(w.missing.isEmpty)
        #expect(w.toLoad.map(\.path) == ["unet/diffusion_pytorch_model.fp16.safetensors",
                                         "vae/diffusion_pytorch_model.fp16.safetensors", "image_encoder/model.fp16.safetensors"])
        #expect(w.loadBytes == 4_506_000)
        #expect(Set(w.unused.map(\.path)) == ["unet/diffusion_pytorch_model.safetensors", "vae/diffusion_pytorch_model.bin", "svd_xt.safetensors"])
        let summary = w.summary(directory: "models/svd-xt", variant: "fp16")
        #expect(summary.contains("4.5 MB to load") && summary.contains("unet/diffusion_pytorch_model.fp16.safetensors 3.0 MB"), "\(summary)")
        let note = try #require(w.unusedNote(variant: "fp16"))
        #expect(note.contains("svd_xt.safetensors (9.6 MB)") && note.contains("16.1 MB that can be deleted"), "\(note)")
    }

    @Test func missingWeightsAreAllNamedWithTheVariantHint() throws {
        let dir = try Self.downloadedEverything()
        defer { try? FileManager.default.removeItem(at: dir) }
        // No variant asked for: the fp16-only image encoder and VAE are missing, and it says to ask for fp16.
        let w = ModelWeights(try ModelFolder(dir.path), variant: nil)
        #expect(w.missing.count == 2, "\(w.missing)")
        #expect(w.missing.allSatisfy { $0.contains("load with variant 'fp16'") }, "\(w.missing)")
        #expect(w.missing.contains { $0.hasPrefix("vae/diffusion_pytorch_model.safetensors") })
        #expect(w.missing.contains { $0.hasPrefix("image_encoder/model.safetensors") })
    }

    @Test(.enabled(if: Fixture.runs, "needs the torch shim (scripts/build-torch-shim)"))
    func theLoadRefusesAnIncompleteFolderBeforeReadingIt() throws {
        let dir = try Self.downloadedEverything()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("unet/diffusion_pytorch_model.fp16.safetensors"))
        let service = SVDService(cacheDirectory: dir.appendingPathComponent("cache"))
        var o = SVDModel.Options()
        o.variant = "fp16"
        do {
            _ = try service.load(directory: dir.path, options: o)
            Issue.record("loaded an incomplete folder")
        } catch let e as SVDError {
            #expect(e.kind == .notModelFolder && "\(e)".contains("missing unet/diffusion_pytorch_model.fp16.safetensors"), "\(e)")
        }
    }
}
