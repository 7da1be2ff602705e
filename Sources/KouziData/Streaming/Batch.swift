import KouziTensor

/// One example: its model inputs, its targets (empty when unlabelled) and named extras.
public struct Example: Sendable {
    /// The model's inputs, without the batch dimension.
    public var inputs: [Tensor]
    /// The targets of the model's outputs, without the batch dimension (empty for unlabelled data).
    public var targets: [Tensor]
    /// Anything else a training step reads: sample weights, a teacher's outputs, decoder inputs…
    public var extras: [String: Tensor]

    /// An example of `inputs` with `targets` and `extras`.
    public init(inputs: [Tensor], targets: [Tensor] = [], extras: [String: Tensor] = [:]) {
        self.inputs = inputs
        self.targets = targets
        self.extras = extras
    }
}

/// A batch: every tensor holds the examples along its first axis.
///
/// ```swift
/// let batch = Batch(x: images, y: labels)        // one input, one target
/// let pair = Batch(inputs: [left, right], targets: [same])
/// ```
public struct Batch: Sendable {
    /// The model's inputs, `[n, …]` each.
    public var inputs: [Tensor]
    /// The targets of the model's outputs, `[n, …]` each (empty for unlabelled data).
    public var targets: [Tensor]
    /// Anything else a training step reads, `[n, …]` each: sample weights, a teacher's outputs…
    public var extras: [String: Tensor]

    /// A batch of `inputs` with `targets` and `extras`.
    public init(inputs: [Tensor], targets: [Tensor] = [], extras: [String: Tensor] = [:]) {
        self.inputs = inputs
        self.targets = targets
        self.extras = extras
    }

    /// A batch of one input and, optionally, one target.
    public init(x: Tensor, y: Tensor? = nil) {
        self.init(inputs: [x], targets: y.map { [$0] } ?? [])
    }

    /// The number of examples: the first dimension of the first input (else of the first target).
    public var count: Int { inputs.first?.shape.first ?? targets.first?.shape.first ?? 0 }
}
