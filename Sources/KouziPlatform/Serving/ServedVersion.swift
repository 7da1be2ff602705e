import Foundation
import KouziInference

/// A model version loaded for serving: a network with its preprocessing (``ServedModel``) or a recommender
/// (``ServedRecommender``). The host loads, swaps and unloads them alike; requests reach them through the Open
/// Inference Protocol.
public protocol ServedVersion: AnyObject, Sendable {
    var deployment: String { get }
    var modelID: Int64 { get }
    var version: Int64 { get }
    /// The inputs and outputs, as protocol metadata.
    var inputs: [InferTensorMetadata] { get }
    var outputs: [InferTensorMetadata] { get }
    /// Answers a protocol request, with the time it queued and computed.
    func infer(_ request: InferRequest) async throws -> (outputs: [InferTensor], timing: BatchTiming)
    /// Rows waiting for a forward pass.
    var queueDepth: Int { get }
    /// Memory held, estimated, with batches of `maxBatch` rows.
    func estimatedBytes(maxBatch: Int) -> Int64
}

extension ServedModel: ServedVersion {
    public var queueDepth: Int { batcher.depth }

    /// Weights, plus the activations of a full batch through every layer (twice, for the buffers a forward pass keeps).
    public func estimatedBytes(maxBatch: Int) -> Int64 { loaded.estimatedBytes(maxBatch: maxBatch) }
}
