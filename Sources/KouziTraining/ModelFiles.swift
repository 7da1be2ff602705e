import Foundation
import KouziNN
import KouziTensor

/// Reading model specs for the commands.
package enum SpecFile {
    /// The spec at `path`; every message names the file.
    package static func load(_ path: String) throws -> ModelSpec {
        guard FileManager.default.fileExists(atPath: path) else { throw TrainingError.missingPath(kind: "model spec", path: path) }
        do { return try ModelSpec(contentsOf: path) } catch let error as NNError {
            let message = error.description
            throw TrainingError.failed(message.hasPrefix(path) ? message : "\(path): \(message)")
        }
    }

    /// The model name of a spec: its `name`, else the file name without its extension.
    package static func modelName(_ spec: ModelSpec, path: String) -> String {
        let base = spec.name ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let cleaned = String(base.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" })
        return cleaned.isEmpty ? "model" : cleaned
    }
}

/// Saving models without clobbering other files.
package enum ModelOutput {
    /// Saves `model` to `path`, refusing to replace anything that is not a model directory.
    package static func save(_ model: Model, to path: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            let isModel = fm.isDirectory(path) && fm.fileExists(atPath: path + "/model.json")
            guard isModel else {
                throw TrainingError.failed("refusing to overwrite '\(path)': it exists and is not a .kouzi model directory; "
                    + "choose another --output")
            }
        }
        try model.save(to: path)
    }
}
