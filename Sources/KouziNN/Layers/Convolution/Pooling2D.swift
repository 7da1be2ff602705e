import KouziTensor

/// Max pooling over channels-last images `[batch, height, width, channels]`.
///
/// Strides default to the pool size. Padded positions never win. `MaxPool2D(poolSize: 2)` halves
/// height and width (rounding down), as `torch.nn.MaxPool2d(2)`.
public final class MaxPool2D: Layer {
    let core: PoolingCore
    /// Window size.
    public var poolSize: WindowSize { core.poolSize }
    /// Steps between windows.
    public var strides: WindowSize { core.strides }
    /// Border handling.
    public var padding: ConvPadding { core.padding }

    /// A max pooling layer; `strides` nil means the pool size.
    public init(poolSize: WindowSize = 2, strides: WindowSize? = nil, padding: ConvPadding = .valid) {
        precondition(poolSize.isPositive && (strides?.isPositive ?? true), "MaxPool2D needs a positive pool size and strides")
        precondition(padding.isWellFormed(sides: [1, 2, 4]), "MaxPool2D: explicit padding takes 1, 2 or 4 non-negative values")
        core = PoolingCore(kind: .max, poolSize: poolSize, strides: strides ?? poolSize, padding: padding, oneDimensional: false)
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor { try core.apply(input) }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { try core.outputShape(for: inputShape) }
    public var name: String { "MaxPool2D" }
}

/// Average pooling over channels-last images `[batch, height, width, channels]`.
///
/// Strides default to the pool size. Padded positions are left out of each average (Keras' rule,
/// PyTorch's `count_include_pad=False`).
public final class AveragePool2D: Layer {
    let core: PoolingCore
    /// Window size.
    public var poolSize: WindowSize { core.poolSize }
    /// Steps between windows.
    public var strides: WindowSize { core.strides }
    /// Border handling.
    public var padding: ConvPadding { core.padding }

    /// An average pooling layer; `strides` nil means the pool size.
    public init(poolSize: WindowSize = 2, strides: WindowSize? = nil, padding: ConvPadding = .valid) {
        precondition(poolSize.isPositive && (strides?.isPositive ?? true), "AveragePool2D needs a positive pool size and strides")
        precondition(padding.isWellFormed(sides: [1, 2, 4]), "AveragePool2D: explicit padding takes 1, 2 or 4 non-negative values")
        core = PoolingCore(kind: .average, poolSize: poolSize, strides: strides ?? poolSize, padding: padding, oneDimensional: false)
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor { try core.apply(input) }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { try core.outputShape(for: inputShape) }
    public var name: String { "AveragePool2D" }
}

extension MaxPool2D: SerializableLayer {
    public static var typeName: String { "MaxPool2D" }
    public var config: [String: JSONValue] { core.config }
    public convenience init(config: ConfigReader) throws {
        let core = try PoolingCore.read(config, kind: .max, oneDimensional: false)
        self.init(poolSize: core.poolSize, strides: core.strides, padding: core.padding)
    }
}

extension AveragePool2D: SerializableLayer {
    public static var typeName: String { "AveragePool2D" }
    public var config: [String: JSONValue] { core.config }
    public convenience init(config: ConfigReader) throws {
        let core = try PoolingCore.read(config, kind: .average, oneDimensional: false)
        self.init(poolSize: core.poolSize, strides: core.strides, padding: core.padding)
    }
}
