import Foundation
import KouziNN
import KouziTensor
import KouziTraining

/// A `.kouzi` model of the supervised tasks read from disk together with its saved preprocessing (what `kouzi
/// evaluate`, `kouzi predict` and the platform's evaluation and prediction jobs read).
package struct SupervisedModel {
    /// The path it was read from.
    package var path: String
    /// The network, compiled when the file holds compile settings.
    package var model: Model
    /// The saved preprocessing, or a pass-through one for models saved from code.
    package var preprocessing: Preprocessing
    /// Whether the preprocessing came from the file.
    package var hasSavedPreprocessing: Bool

    /// Reads the model directory at `path`.
    package init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw TrainingError.missingPath(kind: "model", path: path) }
        guard FileManager.default.isDirectory(path) else {
            throw TrainingError.invalidModel(path: path,
                                        reason: "a model is a directory (NAME.kouzi) holding model.json and weights.safetensors")
        }
        self.path = path
        model = try Model.load(from: path)
        if let saved = try Preprocessing.saved(in: model, path: path) {
            preprocessing = saved
            hasSavedPreprocessing = true
        } else {
            preprocessing = Preprocessing.passthrough(for: model)
            hasSavedPreprocessing = false
        }
    }

    /// The model's raw output for a batch in its input layout, in one pass (safe from several threads at once:
    /// inference keeps no per-call state).
    package func forward(_ x: Tensor) throws -> Tensor {
        try model.predict(x, batchSize: Swift.max(1, x.shape.first ?? 1))
    }

    /// The width of the model's output, when it is `[batch, width]`.
    package var outputWidth: Int? {
        guard let inputShape = model.inputShape, let shape = try? model.outputShape(for: [-1] + inputShape),
              shape.count == 2 else { return nil }
        return shape[1]
    }

    /// Whether the model's loss works on logits.
    package var fromLogits: Bool { (model.loss?.options["from_logits"] ?? 0) != 0 }
}
