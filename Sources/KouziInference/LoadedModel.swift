import Foundation
import KouziNN
import KouziTensor

/// A model read from disk with the codec that serves it: what a deployment, a batch prediction and `kouzi-infer`
/// run. Inference keeps no per-call state, so one loaded model answers several threads at once.
public struct LoadedModel: @unchecked Sendable {
    /// The model directory.
    public let path: String
    /// The network.
    public let model: Model
    /// How requests become its inputs and its outputs answers.
    public let codec: any ServingCodec

    /// Reads the `.kouzi` directory at `path` and picks its codec from `codecs`.
    /// - Throws: ``InferenceError/invalidModel(path:reason:)`` for a path that is not a model directory, the
    ///   model file's own errors, or a codec that cannot serve it.
    public init(path: String, codecs: CodecRegistry) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InferenceError.invalidModel(path: path, reason: "the model directory does not exist")
        }
        guard isDirectory.boolValue else {
            throw InferenceError.invalidModel(path: path, reason: "a model is a directory (NAME.kouzi) holding model.json and weights.safetensors")
        }
        self.path = path
        model = try Model.load(from: path)
        codec = try codecs.codec(for: model, path: path)
    }

    /// The model's outputs for a batch of inputs in one pass.
    public func forward(_ inputs: [Tensor]) throws -> [Tensor] {
        try model.predict(inputs, batchSize: Swift.max(1, inputs.first?.shape.first ?? 1))
    }

    /// Answers a request's inputs directly (without a batcher): the outputs it asks for, and the row count.
    public func answer(_ inputs: [InferTensor], wanted: [RequestedOutput]?) throws -> [InferTensor] {
        let x = try codec.modelInputs(inputs)
        let rows = x.first?.shape.first ?? 0
        guard rows > 0 else { throw InferenceCodec.invalid("the inputs hold no rows") }
        return try codec.answer(try forward(x), rows: rows, wanted: wanted)
    }

    /// An estimate of the memory the model holds with batches of `maxBatch` rows: its weights, and the activations
    /// of a full batch through every layer (twice, for the buffers a forward pass keeps).
    public func estimatedBytes(maxBatch: Int) -> Int64 {
        let activations = (try? model.activationCount(batch: Swift.max(1, maxBatch))) ?? 0
        return Int64(model.parameterCount) * 4 + Int64(activations) * 8
    }
}
