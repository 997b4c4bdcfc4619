import CTorchShimLoader
import Foundation

/// A folder that holds an SVD model: the diffusers layout as Hugging Face publishes
/// stabilityai/stable-video-diffusion-img2vid(-xt). Constructing one is the check, so code that
/// holds a `ModelFolder` needs no other; the check is made before the shim reads anything, so
/// the message can name every missing file at once and the folder as the person spelled it.
///
/// The rule is the shim's: the files listed once in its header (PI_MODEL_FOLDER_FILES), which its
/// loader checks too — feature_extractor/preprocessor_config.json included, since the shim reads
/// the CLIP preprocessing from it.
public struct ModelFolder: Sendable, Hashable {
    /// The files whose absence means "not an SVD model folder". Weights are checked by the shim,
    /// which knows which variant it loads.
    public static let requiredFiles = PI_MODEL_FOLDER_FILES.split(separator: ":").map(String.init)
    static let layout = "model_index.json, unet/, vae/, image_encoder/, scheduler/, feature_extractor/"

    /// Absolute, standardized, symlinks resolved: one model has one path.
    public let path: String

    /// The one spelling of a folder's path: resident models and the folder check agree on it.
    public static func canonicalPath(_ directory: String) -> String {
        URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Checks `directory`; errors (kind `.notModelFolder`) say what is wrong in the words of
    /// `directory` as given.
    public init(_ directory: String) throws {
        let path = ModelFolder.canonicalPath(directory)
        func notModel(_ detail: String) -> SVDError { SVDError(operation: "svd.load", detail, kind: .notModelFolder) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw notModel("no folder '\(directory)'; expected a diffusers SVD folder (e.g. stabilityai/stable-video-diffusion-img2vid as downloaded)")
        }
        guard isDir.boolValue else { throw notModel("'\(directory)' is a file; expected the model's folder") }
        let missing = ModelFolder.requiredFiles.filter { !FileManager.default.fileExists(atPath: path + "/" + $0) }
        guard missing.isEmpty else {
            throw notModel("'\(directory)' is not an SVD model folder: missing \(missing.joined(separator: ", ")) (expected \(ModelFolder.layout) as Hugging Face publishes it)")
        }
        self.path = path
    }
}
