import KouziTensor

/// A batch: every tensor has the examples along a new (or existing) first axis.
///
/// ``Dataset/batched(_:dropRemainder:)`` and its padded variants make batches from ``Example``s; a
/// batch can also be built directly from tensors that already have the batch axis:
///
/// ```swift
/// let batch = Batch(x: images, y: labels)      // [64, 28, 28, 1] and [64]
/// print(batch.count)                            // 64
/// ```
public struct Batch: Sendable {
    /// The model inputs, each `[count, ...]`.
    public var inputs: [Tensor]
    /// The targets, each `[count, ...]`; empty for unlabelled data.
    public var targets: [Tensor]
    /// Further named tensors, each `[count, ...]`.
    public var extras: [String: Tensor]

    /// Examples in the batch: the first dimension of the first input, else of the first target (0 when
    /// the batch has neither, or when that tensor is a scalar).
    public var count: Int {
        (inputs.first ?? targets.first)?.shape.first ?? 0
    }

    /// Creates a batch from tensors whose first axis indexes the examples.
    public init(inputs: [Tensor], targets: [Tensor] = [], extras: [String: Tensor] = [:]) {
        self.inputs = inputs
        self.targets = targets
        self.extras = extras
    }

    /// A batch with one input and, optionally, one target.
    public init(x: Tensor, y: Tensor? = nil) {
        self.init(inputs: [x], targets: y.map { [$0] } ?? [])
    }
}
