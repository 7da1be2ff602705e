import KouziTensor

/// Gated recurrent unit over `[batch, steps, features]` sequences, with PyTorch's equations and gate
/// order (reset, update, new) in the "reset after" form:
/// `r = σ(x·Wᵣ + bᵣ + h·Uᵣ + b'ᵣ)`, `z = σ(x·W_z + b_z + h·U_z + b'_z)`,
/// `n = tanh(x·Wₙ + bₙ + r ⊙ (h·Uₙ + b'ₙ))`, `h' = (1 − z) ⊙ n + z ⊙ h`.
///
/// Weights: `kernel` `[features, 3·units]` (`weight_ih_l0` transposed), `recurrentKernel`
/// `[units, 3·units]` (`weight_hh_l0` transposed), `bias` `[3·units]` (`bias_ih_l0`) and
/// `recurrentBias` `[3·units]` (`bias_hh_l0`). The whole sequence runs as one fused operation
/// (``KouziTensor/Tensor/gruSequence(_:kernel:recurrentKernel:bias:recurrentBias:initialHidden:mask:reverse:)``).
/// See ``RecurrentLayer`` for masks and state.
public final class GRU: RecurrentLayer {
    public let units: Int
    public let returnSequences: Bool
    /// Input feature count, known once built.
    public private(set) var inputSize: Int?
    private let seed: UInt64

    /// `[features, 3·units]`.
    @Param public var kernel: Tensor
    /// `[units, 3·units]`.
    @Param public var recurrentKernel: Tensor
    /// `[3·units]`, added to the input projection.
    @Param public var bias: Tensor
    /// `[3·units]`, added to the recurrent projection (inside the reset gate for the new gate).
    @Param public var recurrentBias: Tensor

    /// Creates the layer; without `inputSize` it builds on its first input.
    public init(_ units: Int, returnSequences: Bool = false, inputSize: Int? = nil, seed: UInt64? = nil) {
        precondition(units > 0, "GRU needs at least one unit")
        self.units = units
        self.returnSequences = returnSequences
        self.seed = seed ?? WeightSeed.next()
        if let inputSize { try? build(inputShape: [-1, -1, inputSize]) }
    }

    public var stateCount: Int { 1 }
    public var isBuilt: Bool { inputSize != nil }
    public var name: String { "GRU" }

    public func build(inputShape: [Int]) throws {
        guard inputShape.count == 3, let last = inputShape.last, last > 0 else {
            throw NNError.invalidInput(layer: "GRU(\(units))", expected: "[batch, steps, features]", got: inputShape)
        }
        if let inputSize {
            guard inputSize == last else {
                throw NNError.invalidInput(layer: "GRU(\(units))", expected: "[batch, steps, \(inputSize)]", got: inputShape)
            }
            return
        }
        var g = SeededGenerator(seed: seed)
        kernel = Initializer.glorotUniform.make([last, 3 * units], fanIn: last, fanOut: 3 * units, using: &g)
        recurrentKernel = Initializer.glorotUniform.make([units, 3 * units], fanIn: units, fanOut: 3 * units, using: &g)
        bias = .zeros([3 * units])
        recurrentBias = .zeros([3 * units])
        inputSize = last
    }

    public func run(_ input: Tensor, mask: Tensor?, initialState: [Tensor]?, reverse: Bool,
                    sequence: Bool) throws -> (output: Tensor?, state: [Tensor]) {
        if inputSize == nil && input.rank == 3 { try build(inputShape: input.shape) }
        let (m, state) = try validateRecurrentCall(layer: "GRU(\(units))", input: input, features: inputSize,
                                                   units: units, stateCount: 1, mask: mask, initialState: initialState)
        let t = input.shape[1]
        let packed = Tensor.gruSequence(input, kernel: kernel, recurrentKernel: recurrentKernel, bias: bias,
                                        recurrentBias: recurrentBias, initialHidden: state[0], mask: m, reverse: reverse)
        let hidden = packed.slice(axis: 1, t..<(t + 1)).reshaped([input.shape[0], units])
        return (sequence ? packed.slice(axis: 1, 0..<t) : nil, [hidden])
    }

    public func makeTwin(seed: UInt64) -> any RecurrentLayer {
        GRU(units, returnSequences: returnSequences, inputSize: inputSize, seed: seed)
    }
}

extension GRU: SerializableLayer {
    public static var typeName: String { "GRU" }

    public var config: [String: JSONValue] {
        recurrentConfig(units: units, returnSequences: returnSequences, inputSize: inputSize)
    }

    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["units", "return_sequences", "input_size", "seed"])
        let (units, inputSize, seed) = try readRecurrentConfig(config)
        self.init(units, returnSequences: try config.bool("return_sequences", default: false), inputSize: inputSize, seed: seed)
    }
}
