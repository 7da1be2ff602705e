import KouziTensor

/// Maps integer token ids to learned vectors: `[batch, steps]` ids → `[batch, steps, outputDim]`.
///
/// Ids may be int64, int32 or float32 holding whole numbers; an id outside `0..<inputDim` throws
/// ``NNError/invalidArgument(_:)`` naming the id and the vocabulary size.
///
/// With `maskZero` the layer emits a mask `[batch, steps]` (1 where the id is not 0, 0 where it is),
/// which ``Sequential`` hands to the following layers, so recurrent layers skip padding. With
/// `paddingIndex` (PyTorch's `padding_idx`) that row starts at zero and receives no gradient.
///
/// ```swift
/// let model = Sequential {
///     Embedding(inputDim: 10_000, outputDim: 64, maskZero: true)
///     LSTM(64)
///     Dense(2, activation: .softmax)
/// }
/// ```
public final class Embedding: Layer {
    /// Vocabulary size: ids lie in `0..<inputDim`.
    public let inputDim: Int
    /// Length of each vector.
    public let outputDim: Int
    /// Whether id 0 marks padding and produces a mask.
    public let maskZero: Bool
    /// A row that stays zero and gets no gradient, if any.
    public let paddingIndex: Int?

    /// The table `[inputDim, outputDim]`.
    @Param public var embeddings: Tensor

    /// Creates the layer with a table drawn uniformly from ±0.05 (Keras's default).
    public init(inputDim: Int, outputDim: Int, maskZero: Bool = false, paddingIndex: Int? = nil, seed: UInt64? = nil) {
        precondition(inputDim > 0 && outputDim > 0, "Embedding needs positive sizes, got \(inputDim)×\(outputDim)")
        precondition(paddingIndex == nil || (0..<inputDim).contains(paddingIndex!),
                     "Embedding: paddingIndex \(paddingIndex!) is outside 0..<\(inputDim)")
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.maskZero = maskZero
        self.paddingIndex = paddingIndex
        var g = SeededGenerator(seed: seed ?? WeightSeed.next())
        var table = Tensor.randomUniform([inputDim, outputDim], low: -0.05, high: 0.05, using: &g)
        if let p = paddingIndex {
            table.withUnsafeMutableFloats { $0.baseAddress!.advanced(by: p * outputDim).update(repeating: 0, count: outputDim) }
        }
        embeddings = table
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try forward(input, mask: nil).output
    }

    public func forward(_ input: Tensor, mask: Tensor?) throws -> (output: Tensor, mask: Tensor?) {
        let ids = try validatedIDs(input)
        let output = Tensor.embeddingLookup(embeddings, ids: ids, paddingIndex: paddingIndex)
        guard maskZero else { return (output, mask) }
        let values = ids.withUnsafeElements(Int64.self) { $0.map { $0 == 0 ? Float(0) : 1 } }
        var newMask = Tensor(shape: ids.shape, scalars: values)
        if let mask, mask.shape == ids.shape { newMask = newMask * mask.cast(to: .float32) }
        return (output, newMask)
    }

    /// The ids as int64, after checking their type and range.
    func validatedIDs(_ input: Tensor) throws -> Tensor {
        guard input.rank >= 1 else {
            throw NNError.invalidInput(layer: "Embedding(\(inputDim), \(outputDim))", expected: "[batch, steps] token ids", got: input.shape)
        }
        if input.dtype == .float32 {
            if let bad = input.scalars.first(where: { $0 != $0.rounded() }) {
                throw NNError.invalidArgument("Embedding: token id \(bad) is not a whole number")
            }
        }
        let ids = input.dtype == .int64 ? input.detached() : input.cast(to: .int64)
        let bad = ids.withUnsafeElements(Int64.self) { $0.first { $0 < 0 || $0 >= Int64(inputDim) } }
        if let bad {
            throw NNError.invalidArgument("Embedding: token id \(bad) is out of range for vocabulary size \(inputDim) (expected 0..<\(inputDim))")
        }
        return ids
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape + [outputDim] }

    public var name: String { "Embedding" }
}

extension Embedding: SerializableLayer {
    public static var typeName: String { "Embedding" }

    public var config: [String: JSONValue] {
        var c: [String: JSONValue] = ["input_dim": .number(Double(inputDim)), "output_dim": .number(Double(outputDim)),
                                      "mask_zero": .bool(maskZero)]
        if let paddingIndex { c["padding_index"] = .number(Double(paddingIndex)) }
        return c
    }

    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["input_dim", "output_dim", "mask_zero", "padding_index", "seed"])
        let inputDim = try config.int("input_dim"), outputDim = try config.int("output_dim")
        guard (1...(1 << 24)).contains(inputDim), (1...(1 << 16)).contains(outputDim) else {
            throw NNError.invalidConfig("Embedding: 'input_dim' (\(inputDim)) and 'output_dim' (\(outputDim)) must be positive and at most \(1 << 24) and \(1 << 16)")
        }
        let padding = try config.int("padding_index", default: nil)
        if let padding, !(0..<inputDim).contains(padding) {
            throw NNError.invalidConfig("Embedding: 'padding_index' \(padding) is outside 0..<\(inputDim)")
        }
        self.init(inputDim: inputDim, outputDim: outputDim, maskZero: try config.bool("mask_zero", default: false),
                  paddingIndex: padding, seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}
