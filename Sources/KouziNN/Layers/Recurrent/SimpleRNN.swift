import KouziTensor

/// The plain recurrent layer `h' = activation(x·W + h·U + b)` over `[batch, steps, features]`
/// sequences (PyTorch's `nn.RNN` with `bias` = `bias_ih_l0 + bias_hh_l0`).
///
/// Weights: `kernel` `[features, units]`, `recurrentKernel` `[units, units]`, `bias` `[units]`. The
/// input projection of all steps is one product; each step is composed from tensor operations. See
/// ``RecurrentLayer`` for masks and state.
public final class SimpleRNN: RecurrentLayer {
    public let units: Int
    public let returnSequences: Bool
    /// The activation (`tanh` by default, as in PyTorch and Keras).
    public let activation: Activation
    /// Input feature count, known once built.
    public private(set) var inputSize: Int?
    private let seed: UInt64

    /// `[features, units]`.
    @Param public var kernel: Tensor
    /// `[units, units]`.
    @Param public var recurrentKernel: Tensor
    /// `[units]`.
    @Param public var bias: Tensor

    /// Creates the layer; without `inputSize` it builds on its first input.
    public init(_ units: Int, activation: Activation = .tanh, returnSequences: Bool = false, inputSize: Int? = nil,
                seed: UInt64? = nil) {
        precondition(units > 0, "SimpleRNN needs at least one unit")
        self.units = units
        self.activation = activation
        self.returnSequences = returnSequences
        self.seed = seed ?? WeightSeed.next()
        if let inputSize { try? build(inputShape: [-1, -1, inputSize]) }
    }

    public var stateCount: Int { 1 }
    public var isBuilt: Bool { inputSize != nil }
    public var name: String { "SimpleRNN" }

    public func build(inputShape: [Int]) throws {
        guard inputShape.count == 3, let last = inputShape.last, last > 0 else {
            throw NNError.invalidInput(layer: "SimpleRNN(\(units))", expected: "[batch, steps, features]", got: inputShape)
        }
        if let inputSize {
            guard inputSize == last else {
                throw NNError.invalidInput(layer: "SimpleRNN(\(units))", expected: "[batch, steps, \(inputSize)]", got: inputShape)
            }
            return
        }
        var g = SeededGenerator(seed: seed)
        kernel = Initializer.glorotUniform.make([last, units], fanIn: last, fanOut: units, using: &g)
        recurrentKernel = Initializer.glorotUniform.make([units, units], fanIn: units, fanOut: units, using: &g)
        bias = .zeros([units])
        inputSize = last
    }

    public func run(_ input: Tensor, mask: Tensor?, initialState: [Tensor]?, reverse: Bool,
                    sequence: Bool) throws -> (output: Tensor?, state: [Tensor]) {
        if inputSize == nil && input.rank == 3 { try build(inputShape: input.shape) }
        let (m, state) = try validateRecurrentCall(layer: "SimpleRNN(\(units))", input: input, features: inputSize,
                                                   units: units, stateCount: 1, mask: mask, initialState: initialState)
        let b = input.shape[0], t = input.shape[1]
        let projected = Tensor.linear(input, weight: kernel, bias: bias)
        var h = state[0]
        var outputs = [Tensor?](repeating: nil, count: t)
        for s in 0..<t {
            let step = reverse ? t - 1 - s : s
            let x = projected.slice(axis: 1, step..<(step + 1)).reshaped([b, units])
            let next = activation(x + h.matmul(recurrentKernel))
            (h, outputs[step]) = maskedStep(previous: h, next: next, mask: m, step: step, steps: t, keepOutput: sequence)
        }
        return (sequence ? Tensor.stack(outputs.map { $0! }, axis: 1) : nil, [h])
    }

    public func makeTwin(seed: UInt64) -> any RecurrentLayer {
        SimpleRNN(units, activation: activation, returnSequences: returnSequences, inputSize: inputSize, seed: seed)
    }
}

/// The state after a step and its output under a mask: padded rows keep `previous` and output zeros.
func maskedStep(previous: Tensor, next: Tensor, mask: Tensor?, step: Int, steps: Int,
                keepOutput: Bool) -> (state: Tensor, output: Tensor?) {
    guard let mask else { return (next, keepOutput ? next : nil) }
    let m = mask.slice(axis: 1, step..<(step + 1))
    return (previous + m * (next - previous), keepOutput ? next * m : nil)
}

extension SimpleRNN: SerializableLayer {
    public static var typeName: String { "SimpleRNN" }

    public var config: [String: JSONValue] {
        var c = recurrentConfig(units: units, returnSequences: returnSequences, inputSize: inputSize)
        c["activation"] = .string(activation.rawValue)
        return c
    }

    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["units", "return_sequences", "input_size", "activation", "seed"])
        let (units, inputSize, seed) = try readRecurrentConfig(config)
        self.init(units, activation: try Activation(named: config.string("activation", default: "tanh")!),
                  returnSequences: try config.bool("return_sequences", default: false), inputSize: inputSize, seed: seed)
    }
}
