import KouziTensor

/// Reduces every spatial axis away: `[batch, …, channels]` → `[batch, channels]`, by mean or maximum.
struct GlobalPoolingCore: Sendable {
    let kind: PoolingCore.Kind
    /// Spatial axes: 1 for sequences, 2 for images.
    let spatialAxes: Int

    var label: String { "Global\(kind.rawValue)Pool\(spatialAxes)D" }

    func outputShape(for shape: [Int]) throws -> [Int] {
        guard shape.count == spatialAxes + 2, shape.dropFirst().allSatisfy({ $0 > 0 || $0 == -1 }) else {
            let expected = spatialAxes == 1 ? "[batch, steps, channels]" : "[batch, height, width, channels]"
            throw NNError.invalidInput(layer: label, expected: expected, got: shape)
        }
        return [shape[0], shape[shape.count - 1]]
    }

    func apply(_ x: Tensor) throws -> Tensor {
        let out = try outputShape(for: x.shape)
        guard x.dtype == .float32 else { throw NNError.invalidInput(layer: label, expected: "float32 values", got: x.shape) }
        switch kind {
        case .average:
            return x.mean(axes: Array(1...spatialAxes))
        case .max:
            let image = spatialAxes == 1 ? x.reshaped([x.shape[0], 1, x.shape[1], x.shape[2]]) : x
            return image.maxPool2d(poolSize: (image.shape[1], image.shape[2])).reshaped(out)
        }
    }
}

/// Averages over the steps of a sequence: `[batch, steps, channels]` → `[batch, channels]`.
///
/// With a mask (from `Sequential`'s mask propagation) only the real steps are averaged.
public final class GlobalAveragePool1D: Layer {
    let core = GlobalPoolingCore(kind: .average, spatialAxes: 1)
    /// A global average pooling layer.
    public init() {}
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try core.apply(input) }
    public func forward(_ input: Tensor, mask: Tensor?) throws -> (output: Tensor, mask: Tensor?) {
        guard let mask else { return (try core.apply(input), nil) }
        _ = try core.outputShape(for: input.shape)
        guard mask.shape == Array(input.shape.prefix(2)) else {
            throw NNError.invalidInput(layer: core.label, expected: "a mask of shape \(Array(input.shape.prefix(2)))", got: mask.shape)
        }
        let m = mask.cast(to: .float32).reshaped([input.shape[0], input.shape[1], 1])
        let counts = Tensor.maximum(m.sum(axis: 1), Tensor(1e-9))
        return ((input * m).sum(axis: 1) / counts, nil)
    }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { try core.outputShape(for: inputShape) }
    public var name: String { "GlobalAveragePool1D" }
}

/// Averages over height and width: `[batch, height, width, channels]` → `[batch, channels]`.
public final class GlobalAveragePool2D: Layer {
    let core = GlobalPoolingCore(kind: .average, spatialAxes: 2)
    /// A global average pooling layer.
    public init() {}
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try core.apply(input) }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { try core.outputShape(for: inputShape) }
    public var name: String { "GlobalAveragePool2D" }
}

/// Maximum over the steps of a sequence: `[batch, steps, channels]` → `[batch, channels]`.
public final class GlobalMaxPool1D: Layer {
    let core = GlobalPoolingCore(kind: .max, spatialAxes: 1)
    /// A global max pooling layer.
    public init() {}
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try core.apply(input) }
    public func forward(_ input: Tensor, mask: Tensor?) throws -> (output: Tensor, mask: Tensor?) {
        (try core.apply(input), nil)
    }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { try core.outputShape(for: inputShape) }
    public var name: String { "GlobalMaxPool1D" }
}

/// Maximum over height and width: `[batch, height, width, channels]` → `[batch, channels]`.
public final class GlobalMaxPool2D: Layer {
    let core = GlobalPoolingCore(kind: .max, spatialAxes: 2)
    /// A global max pooling layer.
    public init() {}
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try core.apply(input) }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { try core.outputShape(for: inputShape) }
    public var name: String { "GlobalMaxPool2D" }
}

extension GlobalAveragePool1D: SerializableLayer {
    public static var typeName: String { "GlobalAveragePool1D" }
    public var config: [String: JSONValue] { [:] }
    public convenience init(config: ConfigReader) throws { try config.onlyKnown([]); self.init() }
}

extension GlobalAveragePool2D: SerializableLayer {
    public static var typeName: String { "GlobalAveragePool2D" }
    public var config: [String: JSONValue] { [:] }
    public convenience init(config: ConfigReader) throws { try config.onlyKnown([]); self.init() }
}

extension GlobalMaxPool1D: SerializableLayer {
    public static var typeName: String { "GlobalMaxPool1D" }
    public var config: [String: JSONValue] { [:] }
    public convenience init(config: ConfigReader) throws { try config.onlyKnown([]); self.init() }
}

extension GlobalMaxPool2D: SerializableLayer {
    public static var typeName: String { "GlobalMaxPool2D" }
    public var config: [String: JSONValue] { [:] }
    public convenience init(config: ConfigReader) throws { try config.onlyKnown([]); self.init() }
}
