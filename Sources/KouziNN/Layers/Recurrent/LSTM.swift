import KouziTensor

/// Long short-term memory over `[batch, steps, features]` sequences, with PyTorch's equations and
/// gate order (input, forget, cell, output).
///
/// Weights: `kernel` `[features, 4·units]` (PyTorch's `weight_ih_l0` transposed), `recurrentKernel`
/// `[units, 4·units]` (`weight_hh_l0` transposed) and one `bias` `[4·units]` (`bias_ih_l0 + bias_hh_l0`).
/// The kernels start Glorot-uniform and the forget-gate bias at 1 (`unitForgetBias`), as in Keras.
///
/// The whole sequence runs as one fused operation (``KouziTensor/Tensor/lstmSequence(_:kernel:recurrentKernel:bias:initialHidden:initialCell:mask:reverse:)``):
/// one product for all input projections, then per step one small product and one gate kernel.
/// See ``RecurrentLayer`` for masks and state.
public final class LSTM: RecurrentLayer {
    public let units: Int
    public let returnSequences: Bool
    /// Whether the forget-gate bias starts at 1.
    public let unitForgetBias: Bool
    /// Input feature count, known once built.
    public private(set) var inputSize: Int?
    private let seed: UInt64

    /// `[features, 4·units]`.
    @Param public var kernel: Tensor
    /// `[units, 4·units]`.
    @Param public var recurrentKernel: Tensor
    /// `[4·units]`.
    @Param public var bias: Tensor

    /// Creates the layer; without `inputSize` it builds on its first input.
    public init(_ units: Int, returnSequences: Bool = false, inputSize: Int? = nil, unitForgetBias: Bool = true,
                seed: UInt64? = nil) {
        precondition(units > 0, "LSTM needs at least one unit")
        self.units = units
        self.returnSequences = returnSequences
        self.unitForgetBias = unitForgetBias
        self.seed = seed ?? WeightSeed.next()
        if let inputSize { try? build(inputShape: [-1, -1, inputSize]) }
    }

    public var stateCount: Int { 2 }
    public var isBuilt: Bool { inputSize != nil }
    public var name: String { "LSTM" }

    public func build(inputShape: [Int]) throws {
        guard inputShape.count == 3, let last = inputShape.last, last > 0 else {
            throw NNError.invalidInput(layer: "LSTM(\(units))", expected: "[batch, steps, features]", got: inputShape)
        }
        if let inputSize {
            guard inputSize == last else {
                throw NNError.invalidInput(layer: "LSTM(\(units))", expected: "[batch, steps, \(inputSize)]", got: inputShape)
            }
            return
        }
        var g = SeededGenerator(seed: seed)
        kernel = Initializer.glorotUniform.make([last, 4 * units], fanIn: last, fanOut: 4 * units, using: &g)
        recurrentKernel = Initializer.glorotUniform.make([units, 4 * units], fanIn: units, fanOut: 4 * units, using: &g)
        var b = [Float](repeating: 0, count: 4 * units)
        if unitForgetBias { for j in units..<(2 * units) { b[j] = 1 } }
        bias = Tensor(b)
        inputSize = last
    }

    public func run(_ input: Tensor, mask: Tensor?, initialState: [Tensor]?, reverse: Bool,
                    sequence: Bool) throws -> (output: Tensor?, state: [Tensor]) {
        if inputSize == nil && input.rank == 3 { try build(inputShape: input.shape) }
        let (m, state) = try validateRecurrentCall(layer: "LSTM(\(units))", input: input, features: inputSize,
                                                   units: units, stateCount: 2, mask: mask, initialState: initialState)
        let t = input.shape[1]
        let packed = Tensor.lstmSequence(input, kernel: kernel, recurrentKernel: recurrentKernel, bias: bias,
                                         initialHidden: state[0], initialCell: state[1], mask: m, reverse: reverse)
        let hidden = packed.slice(axis: 1, t..<(t + 1)).reshaped([input.shape[0], units])
        let cell = packed.slice(axis: 1, (t + 1)..<(t + 2)).reshaped([input.shape[0], units])
        return (sequence ? packed.slice(axis: 1, 0..<t) : nil, [hidden, cell])
    }

    public func makeTwin(seed: UInt64) -> any RecurrentLayer {
        LSTM(units, returnSequences: returnSequences, inputSize: inputSize, unitForgetBias: unitForgetBias, seed: seed)
    }
}

extension LSTM: SerializableLayer {
    public static var typeName: String { "LSTM" }

    public var config: [String: JSONValue] {
        var c = recurrentConfig(units: units, returnSequences: returnSequences, inputSize: inputSize)
        c["unit_forget_bias"] = .bool(unitForgetBias)
        return c
    }

    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["units", "return_sequences", "input_size", "unit_forget_bias", "seed"])
        let (units, inputSize, seed) = try readRecurrentConfig(config)
        self.init(units, returnSequences: try config.bool("return_sequences", default: false), inputSize: inputSize,
                  unitForgetBias: try config.bool("unit_forget_bias", default: true), seed: seed)
    }
}
