import Foundation
import KouziInference
import KouziMonitoring
import KouziNN
import KouziTensor

/// A model version loaded for serving with the codec its task registered: turns protocol inputs into the model's
/// inputs, runs them through the batcher, and turns the outputs into protocol outputs. Any saved model serves — a
/// stack or a graph, one input or several.
public final class ServedModel: @unchecked Sendable {
    public let deployment: String
    public let modelID: Int64
    public let version: Int64
    let loaded: LoadedModel
    let batcher: Batcher

    /// Loads the `.kouzi` directory at `path` with its codec from `codecs`; requests are batched as `batching` says.
    init(deployment: String, modelID: Int64, version: Int64, path: String, codecs: CodecRegistry, batching: BatchingOptions,
         onBatch: @escaping @Sendable (Int) -> Void = { _ in }) throws {
        self.deployment = deployment
        self.modelID = modelID
        self.version = version
        let loaded = try LoadedModel(path: path, codecs: codecs)
        self.loaded = loaded
        // Inference keeps no per-call state, so the batcher's passes and direct calls may overlap.
        batcher = Batcher(options: batching, name: "\(deployment)-v\(version)", onBatch: onBatch) { try loaded.forward($0) }
    }

    deinit { batcher.stop() }

    /// How requests become the model's inputs and its outputs answers.
    var codec: any ServingCodec { loaded.codec }

    /// The codec, when live inputs can be compared with the training data.
    var monitored: (any MonitoredCodec)? { codec as? any MonitoredCodec }

    /// The inputs the model takes, as protocol metadata.
    public var inputs: [InferTensorMetadata] { codec.inputs }

    /// The outputs it gives.
    public var outputs: [InferTensorMetadata] { codec.outputs }

    /// The class names of a classifier.
    public var classLabels: [String]? { codec.classLabels }

    /// Runs a forward pass on zeros `count` times (the first calls allocate and fill caches).
    func warmUp(count: Int = 3) throws {
        let zeros = loaded.model.inputSignature.map { spec in
            Tensor.zeros([1] + spec.shape.dropFirst().map { Swift.max($0, 1) }).cast(to: DType(rawValue: spec.dtype) ?? .float32)
        }
        for _ in 0..<count { _ = try loaded.forward(zeros) }
    }

    /// Answers a protocol request through the batcher, with the time it queued and computed.
    public func infer(_ request: InferRequest) async throws -> (outputs: [InferTensor], timing: BatchTiming) {
        let x = try codec.modelInputs(request.inputs)
        let rows = x.first?.shape.first ?? 0
        guard rows > 0 else { throw InferenceCodec.invalid("the inputs hold no rows") }
        let (outputs, timing) = try await batcher.submit(x)
        return (try codec.answer(outputs, rows: rows, wanted: request.outputs), timing)
    }
}
