import KouziTensor

/// A layer that reads `[batch, steps, features]` sequences step by step and carries a state.
///
/// Conforming layers (``LSTM``, ``GRU``, ``SimpleRNN``) output the last hidden state `[batch, units]`,
/// or with `returnSequences` every step's output `[batch, steps, units]`.
///
/// **Masks.** A mask `[batch, steps]` (1 real, 0 padding, usually made by ``Embedding`` with
/// `maskZero`) makes a padded step keep the previous state unchanged; in returned sequences a padded
/// step outputs **zeros** (as PyTorch's packed sequences pad their output). The final state is thus
/// the state after the last real step. The mask is passed on only when sequences are returned.
///
/// **State.** ``callAsFunction(_:initialState:mask:)`` takes an initial state and returns the final
/// one (for LSTM `[hidden, cell]`, otherwise `[hidden]`), since `Layer` itself has one input and one
/// output.
public protocol RecurrentLayer: SerializableLayer {
    /// Size of the hidden state.
    var units: Int { get }
    /// Whether the output holds every step (`[batch, steps, units]`) or the last state only.
    var returnSequences: Bool { get }
    /// Number of state tensors (2 for LSTM, 1 otherwise).
    var stateCount: Int { get }
    /// Runs over the sequence; `reverse` reads it from the last step to the first (outputs stay at
    /// their positions). Returns the step outputs when `sequence` is true, and the final state.
    func run(_ input: Tensor, mask: Tensor?, initialState: [Tensor]?, reverse: Bool,
             sequence: Bool) throws -> (output: Tensor?, state: [Tensor])
    /// A fresh layer with the same settings and new weights drawn from `seed` (``Bidirectional``'s
    /// backward direction).
    func makeTwin(seed: UInt64) -> any RecurrentLayer
}

extension RecurrentLayer {
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try forward(input, mask: nil).output
    }

    public func forward(_ input: Tensor, mask: Tensor?) throws -> (output: Tensor, mask: Tensor?) {
        let (output, _) = try self(input, initialState: nil, mask: mask)
        return (output, returnSequences ? mask : nil)
    }

    /// Runs the layer from `initialState` (zeros when nil) and returns the output with the final
    /// state (`[hidden, cell]` for LSTM, `[hidden]` otherwise), each `[batch, units]`.
    public func callAsFunction(_ input: Tensor, initialState: [Tensor]?,
                               mask: Tensor? = nil) throws -> (output: Tensor, state: [Tensor]) {
        let (output, state) = try run(input, mask: mask, initialState: initialState, reverse: false,
                                      sequence: returnSequences)
        return (output ?? state[0], state)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw NNError.invalidInput(layer: name, expected: "[batch, steps, features]", got: inputShape)
        }
        return returnSequences ? [inputShape[0], inputShape[1], units] : [inputShape[0], units]
    }
}

/// Checks the input, mask and initial state of a recurrent layer; returns the mask as float32 (or nil)
/// and the initial state (zeros when none is given).
func validateRecurrentCall(layer: String, input: Tensor, features: Int?, units: Int, stateCount: Int,
                           mask: Tensor?, initialState: [Tensor]?) throws -> (mask: Tensor?, state: [Tensor]) {
    guard input.rank == 3, input.dtype == .float32 else {
        throw NNError.invalidInput(layer: layer, expected: "[batch, steps, features] float32", got: input.shape)
    }
    if let features, input.shape[2] != features {
        throw NNError.invalidInput(layer: layer, expected: "[batch, steps, \(features)]", got: input.shape)
    }
    let batch = input.shape[0], steps = input.shape[1]
    var floatMask: Tensor? = nil
    if let mask {
        guard mask.shape == [batch, steps] else {
            throw NNError.invalidInput(layer: layer + " mask", expected: "[\(batch), \(steps)]", got: mask.shape)
        }
        floatMask = mask.dtype == .float32 ? mask.detached() : mask.cast(to: .float32)
    }
    guard let initialState else {
        return (floatMask, Array(repeating: Tensor.zeros([batch, units]), count: stateCount))
    }
    guard initialState.count == stateCount else {
        throw NNError.invalidArgument("\(layer): expected \(stateCount) initial state tensor(s), got \(initialState.count)")
    }
    for s in initialState where s.shape != [batch, units] || s.dtype != .float32 {
        throw NNError.invalidInput(layer: layer + " initial state", expected: "[\(batch), \(units)] float32", got: s.shape)
    }
    return (floatMask, initialState)
}

/// The config fields every recurrent layer shares.
func recurrentConfig(units: Int, returnSequences: Bool, inputSize: Int?) -> [String: JSONValue] {
    var c: [String: JSONValue] = ["units": .number(Double(units)), "return_sequences": .bool(returnSequences)]
    if let inputSize { c["input_size"] = .number(Double(inputSize)) }
    return c
}

/// Reads `units`, `input_size` and `seed` from a recurrent layer config with range checks.
func readRecurrentConfig(_ config: ConfigReader) throws -> (units: Int, inputSize: Int?, seed: UInt64?) {
    let limit = 1 << 16
    let units = try config.int("units")
    guard (1...limit).contains(units) else {
        throw NNError.invalidConfig("\(config.layer): 'units' must be between 1 and \(limit), got \(units)")
    }
    let inputSize = try config.int("input_size", default: nil)
    if let inputSize, !(1...(1 << 20)).contains(inputSize) {
        throw NNError.invalidConfig("\(config.layer): 'input_size' must be between 1 and \(1 << 20), got \(inputSize)")
    }
    return (units, inputSize, try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
}
