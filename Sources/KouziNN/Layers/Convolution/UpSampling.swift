import KouziTensor

/// Repeats each pixel of channels-last images `size.height` times down and `size.width` times across
/// (nearest-neighbour upsampling, as `torch.nn.Upsample(scale_factor=…, mode="nearest")`).
public final class UpSampling2D: Layer {
    /// Repetitions along height and width.
    public let size: WindowSize

    /// An upsampling layer.
    public init(size: WindowSize = 2) {
        precondition(size.isPositive, "UpSampling2D needs positive factors, got \(size)")
        self.size = size
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        _ = try outputShape(for: input.shape)
        return input.upsampledNearest2d(factors: size.pair)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4 else {
            throw NNError.invalidInput(layer: "UpSampling2D", expected: "[batch, height, width, channels]", got: inputShape)
        }
        return [inputShape[0], inputShape[1] * size.height, inputShape[2] * size.width, inputShape[3]]
    }

    public var name: String { "UpSampling2D" }
}

/// Repeats each step of channels-last sequences `[batch, steps, channels]` `size` times.
public final class UpSampling1D: Layer {
    /// Repetitions per step.
    public let size: Int

    /// An upsampling layer.
    public init(size: Int = 2) {
        precondition(size > 0, "UpSampling1D needs a positive factor, got \(size)")
        self.size = size
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let out = try outputShape(for: input.shape)
        let image = input.reshaped([input.shape[0], 1, input.shape[1], input.shape[2]])
        return image.upsampledNearest2d(factors: (1, size)).reshaped(out)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw NNError.invalidInput(layer: "UpSampling1D", expected: "[batch, steps, channels]", got: inputShape)
        }
        return [inputShape[0], inputShape[1] * size, inputShape[2]]
    }

    public var name: String { "UpSampling1D" }
}

extension UpSampling2D: SerializableLayer {
    public static var typeName: String { "UpSampling2D" }
    public var config: [String: JSONValue] { ["size": size.json] }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["size"])
        self.init(size: try config.window("size", default: 2)!)
    }
}

extension UpSampling1D: SerializableLayer {
    public static var typeName: String { "UpSampling1D" }
    public var config: [String: JSONValue] { ["size": .number(Double(size))] }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["size"])
        self.init(size: try config.positive("size", default: 2)!)
    }
}
