import KouziTensor

/// One example: its model inputs, its targets (empty when unlabelled) and named extras.
///
/// Extras carry what is neither an input nor a target: sample weights, ids, masks, raw text lengths.
/// ``Dataset/batched(_:dropRemainder:)`` stacks each of them like the inputs.
///
/// ```swift
/// let example = Example(inputs: [pixels], targets: [label], extras: ["weight": Tensor(2)])
/// ```
public struct Example: Sendable {
    /// The model inputs, in the order the model takes them.
    public var inputs: [Tensor]
    /// The targets, in the order of the model's outputs; empty for unlabelled data.
    public var targets: [Tensor]
    /// Further named tensors that travel with the example.
    public var extras: [String: Tensor]

    /// Creates an example.
    public init(inputs: [Tensor], targets: [Tensor] = [], extras: [String: Tensor] = [:]) {
        self.inputs = inputs
        self.targets = targets
        self.extras = extras
    }
}
