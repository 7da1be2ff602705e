import KouziTensor

/// Flattens every dimension after the batch: `[batch, d1, d2, …]` → `[batch, d1·d2·…]`.
///
/// Channels-last images flatten in `(row, column, channel)` order (PyTorch's NCHW tensors flatten in
/// `(channel, row, column)` order, so a Dense kernel after Flatten is not interchangeable as is).
public final class Flatten: Layer {
    /// A flattening layer.
    public init() {}

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let out = try outputShape(for: input.shape)
        return input.reshaped([input.shape[0], out[1]])
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count >= 2, inputShape.dropFirst().allSatisfy({ $0 >= 0 }) else {
            throw NNError.invalidInput(layer: "Flatten", expected: "[batch, …] with known sizes after the batch", got: inputShape)
        }
        return [inputShape[0], inputShape.dropFirst().reduce(1, *)]
    }

    public var name: String { "Flatten" }
    public func outputDType(for inputDType: DType) -> DType { inputDType }
}

/// Reshapes each sample to `targetShape` (one entry may be -1, inferred), keeping the batch.
public final class Reshape: Layer {
    /// The shape of one sample after the layer.
    public let targetShape: [Int]

    /// A reshaping layer; `targetShape` excludes the batch dimension.
    public init(_ targetShape: [Int]) {
        precondition(!targetShape.isEmpty && targetShape.allSatisfy { $0 > 0 || $0 == -1 }
                     && targetShape.filter { $0 == -1 }.count <= 1,
                     "Reshape: target shape \(targetShape) needs positive sizes and at most one -1")
        self.targetShape = targetShape
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let out = try outputShape(for: input.shape)
        return input.reshaped([input.shape[0]] + out.dropFirst())
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let count = inputShape.dropFirst().reduce(1, *)
        guard inputShape.count >= 1, inputShape.dropFirst().allSatisfy({ $0 >= 0 }),
              let resolved = Tensor.resolveReshape(targetShape, count: count) else {
            throw NNError.invalidInput(layer: "Reshape(\(targetShape))",
                                       expected: "[batch, …] with \(targetShape.contains(-1) ? "a multiple of \(-targetShape.reduce(1, *))" : "\(targetShape.reduce(1, *))") elements per sample",
                                       got: inputShape)
        }
        return [inputShape.first ?? -1] + resolved
    }

    public var name: String { "Reshape" }
    public func outputDType(for inputDType: DType) -> DType { inputDType }
}

extension Flatten: SerializableLayer {
    public static var typeName: String { "Flatten" }
    public var config: [String: JSONValue] { [:] }
    public convenience init(config: ConfigReader) throws { try config.onlyKnown([]); self.init() }
}

extension Reshape: SerializableLayer {
    public static var typeName: String { "Reshape" }
    public var config: [String: JSONValue] { ["target_shape": .array(targetShape.map { .number(Double($0)) })] }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["target_shape"])
        guard let shape = try config.ints("target_shape") else {
            throw NNError.invalidConfig("Reshape: missing field 'target_shape'")
        }
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 || $0 == -1 }), shape.filter({ $0 == -1 }).count <= 1 else {
            throw NNError.invalidConfig("Reshape: 'target_shape' must be positive sizes with at most one -1, got \(shape)")
        }
        self.init(shape)
    }
}
