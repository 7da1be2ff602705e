import Foundation
import KouziData
import KouziNN
import KouziTensor
import KouziTraining

/// A model version loaded for serving, with its saved preprocessing: turns protocol inputs into the model's
/// input, runs it, and turns its output into protocol outputs (probabilities, labels and class ids for classifiers).
public final class ServedModel: @unchecked Sendable {
    public let deployment: String
    public let modelID: Int64
    public let version: Int64
    let loaded: LoadedModel
    let batcher: Batcher

    /// Loads the `.kouzi` directory at `path`; requests are batched as `batching` says.
    init(deployment: String, modelID: Int64, version: Int64, path: String, batching: BatchingOptions,
         onBatch: @escaping @Sendable (Int) -> Void = { _ in }) throws {
        self.deployment = deployment
        self.modelID = modelID
        self.version = version
        let loaded = try LoadedModel(path: path)
        self.loaded = loaded
        // Inference keeps no per-call state, so the batcher's passes and direct calls may overlap.
        batcher = Batcher(options: batching, name: "\(deployment)-v\(version)", onBatch: onBatch) { try loaded.forward($0) }
    }

    deinit { batcher.stop() }

    var preprocessing: Preprocessing { loaded.preprocessing }
    var isClassifier: Bool { preprocessing.target.form.isClassification }

    /// The inputs the model takes, as protocol metadata.
    public var inputs: [InferTensorMetadata] { loaded.inferenceInputs }

    /// The outputs it gives.
    public var outputs: [InferTensorMetadata] { loaded.inferenceOutputs }

    /// The class names of a classifier.
    public var classLabels: [String]? { loaded.model.classLabels }

    /// Runs a forward pass on zeros `count` times (the first calls allocate and fill caches).
    func warmUp(count: Int = 3) throws {
        let shape = [1] + (loaded.model.inputShape ?? [])
        for _ in 0..<count { _ = try forward(Tensor.zeros(shape)) }
    }

    /// The model's raw output for a batch in the model's input layout, outside the batcher.
    func forward(_ x: Tensor) throws -> Tensor { try loaded.forward(x) }

    /// Answers a protocol request through the batcher, with the time it queued and computed.
    public func infer(_ request: InferRequest) async throws -> (outputs: [InferTensor], timing: BatchTiming) {
        let x = try modelInput(request.inputs)
        let rows = x.shape.first ?? 0
        guard rows > 0 else { throw InferenceCodec.invalid("the inputs hold no rows") }
        let (outputs, timing) = try await batcher.submit(x)
        return (try answer(outputs, rows: rows, wanted: request.outputs), timing)
    }

    /// Protocol outputs of a forward pass: all of them, or those asked for.
    func answer(_ outputs: Tensor, rows: Int, wanted: [RequestedOutput]?) throws -> [InferTensor] {
        try loaded.answer(outputs, rows: rows, wanted: wanted)
    }

    /// The model's input from protocol tensors: one tensor in the model's layout, one text column, or one tensor
    /// per table column (a single numeric [N, columns] tensor also works when every column is numeric).
    func modelInput(_ tensors: [InferTensor]) throws -> Tensor { try loaded.modelInput(tensors) }
}
