import KouziTensor

/// Reorders the axes of each sample, keeping the batch first (Keras' `Permute`).
///
/// `dims` numbers the sample's axes from 1: `Permute([2, 1])` swaps the two axes of `[batch, a, b]` samples, and
/// `Permute([3, 1, 2])` turns channels-last images `[batch, h, w, c]` into channels-first `[batch, c, h, w]`.
public final class Permute: Layer {
    /// Output axis `i + 1` is input axis `dims[i]`.
    public let dims: [Int]

    public init(_ dims: [Int]) {
        precondition(dims.sorted() == Array(1...max(dims.count, 1)) && !dims.isEmpty,
                     "Permute: dims \(dims) must be a permutation of 1...\(dims.count)")
        self.dims = dims
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        _ = try outputShape(for: input.shape)
        return input.permuted([0] + dims)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == dims.count + 1 else {
            throw NNError.invalidInput(layer: name, expected: "[batch] plus \(dims.count) axes", got: inputShape)
        }
        return [inputShape[0]] + dims.map { inputShape[$0] }
    }

    public var name: String { "Permute(\(dims))" }
    public func outputDType(for inputDType: DType) -> DType { inputDType }
}

extension Permute: SerializableLayer {
    public static var typeName: String { "Permute" }
    public var config: [String: JSONValue] { ["dims": .array(dims.map { .number(Double($0)) })] }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["dims"])
        guard let dims = try config.ints("dims"), !dims.isEmpty, dims.sorted() == Array(1...dims.count) else {
            throw NNError.invalidConfig("Permute: 'dims' must be a permutation of 1…n, got \(config.fields["dims"] ?? .null)")
        }
        self.init(dims)
    }
}
