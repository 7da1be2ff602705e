import KouziTensor

/// Joins its inputs along one axis (the features, by default); every other dimension must agree.
public final class Concatenate: MergingLayer, SerializableLayer {
    /// The axis the inputs are joined along (negative counts from the end; the batch axis 0 is not allowed).
    public let axis: Int

    /// A layer joining along `axis`.
    public init(axis: Int = -1) { self.axis = axis }

    public static var typeName: String { "Concatenate" }
    public var name: String { "Concatenate" }
    public var config: [String: JSONValue] { ["axis": .int(axis)] }

    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["axis"])
        self.init(axis: try config.int("axis", default: -1) ?? -1)
    }

    public func outputDType(for inputDType: DType) -> DType { inputDType }

    public func callAsFunction(_ inputs: [Tensor]) throws -> Tensor {
        let shape = try outputShape(for: inputs.map(\.shape))
        if let other = inputs.first(where: { $0.dtype != inputs[0].dtype }) {
            throw NNError.invalidInput(layer: name, expected: "inputs of one dtype (\(inputs[0].dtype))", got: other.shape)
        }
        _ = shape
        return Tensor.concatenate(inputs, axis: axis)
    }

    public func outputShape(for inputShapes: [[Int]]) throws -> [Int] {
        try requireInputs(inputShapes)
        let rank = inputShapes[0].count
        guard let a = Shape.normalize(axis: axis, rank: rank), a > 0, inputShapes.allSatisfy({ $0.count == rank }) else {
            throw NNError.invalidArgument("\(name)(axis: \(axis)): inputs of shapes \(inputShapes.map(\.description).joined(separator: ", ")) "
                + "must have one rank and an axis other than the batch")
        }
        var shape = inputShapes[0]
        for other in inputShapes.dropFirst() {
            for d in 0..<rank where d != a {
                let x = shape[d], y = other[d]
                guard x == y || x < 0 || y < 0 else {
                    throw NNError.invalidArgument("\(name)(axis: \(axis)): inputs of shapes \(inputShapes.map(\.description).joined(separator: ", ")) "
                        + "differ in dimension \(d), which is not the joined axis")
                }
                if x < 0 { shape[d] = y }
            }
            shape[a] = shape[a] < 0 || other[a] < 0 ? -1 : shape[a] + other[a]
        }
        return shape
    }
}
