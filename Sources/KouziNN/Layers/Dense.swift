import KouziTensor

/// A fully connected layer: `activation(x · kernel + bias)` over the last dimension.
///
/// The kernel is `[inputSize, units]`. Without `inputSize` the layer builds on its first input.
public final class Dense: Layer {
    /// Number of output features.
    public let units: Int
    /// Activation applied after the affine map.
    public let activation: Activation
    /// Whether a bias is added.
    public let useBias: Bool
    /// Scheme for the kernel.
    public let kernelInitializer: Initializer
    /// Input feature count, known once built.
    public private(set) var inputSize: Int?
    private let seed: UInt64

    @Param public var kernel: Tensor
    @Param public var bias: Tensor

    /// Creates a dense layer; `inputSize` nil defers building to the first call.
    public init(_ units: Int, activation: Activation = .linear, inputSize: Int? = nil, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, seed: UInt64? = nil) {
        precondition(units > 0, "Dense needs at least one unit")
        self.units = units
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.seed = seed ?? WeightSeed.next()
        if let inputSize {
            precondition(inputSize > 0, "Dense needs a positive inputSize, got \(inputSize)")
            try? build(inputShape: [-1, inputSize])
        }
    }

    public var isBuilt: Bool { inputSize != nil }

    public func build(inputShape: [Int]) throws {
        guard let last = inputShape.last, last > 0 else {
            throw NNError.invalidInput(layer: "Dense(\(units))", expected: "[batch, features]", got: inputShape)
        }
        if let inputSize {
            guard inputSize == last else {
                throw NNError.invalidInput(layer: "Dense(\(units))", expected: "[…, \(inputSize)]", got: inputShape)
            }
            return
        }
        var g = SeededGenerator(seed: seed)
        kernel = kernelInitializer.make([last, units], fanIn: last, fanOut: units, using: &g)
        if useBias { bias = .zeros([units]) }
        inputSize = last
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        if inputSize == nil { try build(inputShape: input.shape) }
        guard input.rank >= 1, input.shape.last == inputSize, input.dtype == .float32 else {
            throw NNError.invalidInput(layer: "Dense(\(units))", expected: "[…, \(inputSize ?? 0)] float32", got: input.shape)
        }
        return activation(Tensor.linear(input, weight: kernel, bias: useBias ? bias : nil))
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard let last = inputShape.last, inputSize == nil || last == inputSize else {
            throw NNError.invalidInput(layer: "Dense(\(units))", expected: "[…, \(inputSize ?? 0)]", got: inputShape)
        }
        return inputShape.dropLast() + [units]
    }

    public var name: String { "Dense" }
}
