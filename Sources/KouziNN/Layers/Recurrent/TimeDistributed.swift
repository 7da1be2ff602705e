import KouziTensor

/// Applies a layer to every step of a `[batch, steps, …]` input independently (the steps are folded
/// into the batch), giving `[batch, steps, …]` outputs. A mask passes through unchanged.
///
/// ```swift
/// TimeDistributed(Dense(5, activation: .softmax))   // a tag per step
/// ```
public final class TimeDistributed: Layer {
    /// The layer applied at each step.
    public let layer: any Layer

    /// Wraps `layer`.
    public init(_ layer: any Layer) { self.layer = layer }

    public var isBuilt: Bool { layer.isBuilt }

    public func build(inputShape: [Int]) throws {
        guard inputShape.count >= 3 else {
            throw NNError.invalidInput(layer: name, expected: "[batch, steps, …]", got: inputShape)
        }
        try layer.build(inputShape: [-1] + inputShape.dropFirst(2))
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank >= 3 else {
            throw NNError.invalidInput(layer: name, expected: "[batch, steps, …]", got: input.shape)
        }
        let b = input.shape[0], t = input.shape[1]
        let folded = input.reshaped([b * t] + input.shape.dropFirst(2))
        let out = try layer(folded)
        return out.reshaped([b, t] + out.shape.dropFirst())
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count >= 3 else {
            throw NNError.invalidInput(layer: name, expected: "[batch, steps, …]", got: inputShape)
        }
        let inner = try layer.outputShape(for: [-1] + inputShape.dropFirst(2))
        return [inputShape[0], inputShape[1]] + inner.dropFirst()
    }

    public var name: String { "TimeDistributed(\(layer.name))" }
}

extension TimeDistributed: SerializableLayer {
    public static var typeName: String { "TimeDistributed" }

    public var config: [String: JSONValue] {
        ["layer": .object((try? LayerRegistry.spec(of: layer)) ?? [:])]
    }

    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["layer"])
        guard let spec = config.fields["layer"]?.objectValue else {
            throw NNError.invalidConfig("TimeDistributed: field 'layer' must be a layer spec object")
        }
        self.init(try LayerRegistry.makeLayer(spec))
    }
}
