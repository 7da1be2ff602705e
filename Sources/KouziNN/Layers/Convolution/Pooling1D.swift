import KouziTensor

/// Max pooling over channels-last sequences `[batch, steps, channels]`; strides default to the pool size.
public final class MaxPool1D: Layer {
    let core: PoolingCore
    /// Window length.
    public var poolSize: Int { core.poolSize.width }
    /// Step between windows.
    public var strides: Int { core.strides.width }
    /// Border handling (`explicit` takes `[n]` or `[left, right]`).
    public var padding: ConvPadding { core.padding }

    /// A max pooling layer; `strides` nil means the pool size.
    public init(poolSize: Int = 2, strides: Int? = nil, padding: ConvPadding = .valid) {
        precondition(poolSize > 0 && (strides ?? 1) > 0, "MaxPool1D needs a positive pool size and strides")
        precondition(padding.isWellFormed(sides: [1, 2]), "MaxPool1D: explicit padding takes 1 or 2 non-negative values")
        core = PoolingCore(kind: .max, poolSize: WindowSize(1, poolSize), strides: WindowSize(1, strides ?? poolSize),
                           padding: padding, oneDimensional: true)
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor { try core.apply(input) }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { try core.outputShape(for: inputShape) }
    public var name: String { "MaxPool1D" }
}

/// Average pooling over channels-last sequences `[batch, steps, channels]`; padded steps are left out
/// of each average.
public final class AveragePool1D: Layer {
    let core: PoolingCore
    /// Window length.
    public var poolSize: Int { core.poolSize.width }
    /// Step between windows.
    public var strides: Int { core.strides.width }
    /// Border handling (`explicit` takes `[n]` or `[left, right]`).
    public var padding: ConvPadding { core.padding }

    /// An average pooling layer; `strides` nil means the pool size.
    public init(poolSize: Int = 2, strides: Int? = nil, padding: ConvPadding = .valid) {
        precondition(poolSize > 0 && (strides ?? 1) > 0, "AveragePool1D needs a positive pool size and strides")
        precondition(padding.isWellFormed(sides: [1, 2]), "AveragePool1D: explicit padding takes 1 or 2 non-negative values")
        core = PoolingCore(kind: .average, poolSize: WindowSize(1, poolSize), strides: WindowSize(1, strides ?? poolSize),
                           padding: padding, oneDimensional: true)
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor { try core.apply(input) }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { try core.outputShape(for: inputShape) }
    public var name: String { "AveragePool1D" }
}

extension MaxPool1D: SerializableLayer {
    public static var typeName: String { "MaxPool1D" }
    public var config: [String: JSONValue] { core.config }
    public convenience init(config: ConfigReader) throws {
        let core = try PoolingCore.read(config, kind: .max, oneDimensional: true)
        self.init(poolSize: core.poolSize.width, strides: core.strides.width, padding: core.padding)
    }
}

extension AveragePool1D: SerializableLayer {
    public static var typeName: String { "AveragePool1D" }
    public var config: [String: JSONValue] { core.config }
    public convenience init(config: ConfigReader) throws {
        let core = try PoolingCore.read(config, kind: .average, oneDimensional: true)
        self.init(poolSize: core.poolSize.width, strides: core.strides.width, padding: core.padding)
    }
}
