import KouziTensor

/// A merging layer that combines equally shaped (or broadcastable) tensors element by element.
protocol ElementwiseMerge: MergingLayer, SerializableLayer {
    /// Exactly two inputs (`Subtract`) instead of two or more.
    static var takesPairs: Bool { get }
    /// Combines the inputs, all already checked.
    func combine(_ inputs: [Tensor]) -> Tensor
}

extension ElementwiseMerge {
    static var takesPairs: Bool { false }
    public var name: String { Self.typeName }
    public var config: [String: JSONValue] { [:] }

    public func callAsFunction(_ inputs: [Tensor]) throws -> Tensor {
        _ = try outputShape(for: inputs.map(\.shape))
        if let other = inputs.first(where: { $0.dtype != .float32 }) {
            throw NNError.invalidInput(layer: name, expected: "float32 tensors", got: other.shape)
        }
        return combine(inputs)
    }

    public func outputShape(for inputShapes: [[Int]]) throws -> [Int] {
        try requireInputs(inputShapes)
        if Self.takesPairs && inputShapes.count != 2 {
            throw NNError.invalidArgument("\(name): takes exactly 2 inputs, got \(inputShapes.count)")
        }
        var shape = inputShapes[0]
        for other in inputShapes.dropFirst() {
            guard let merged = Shape.broadcastAllowingUnknown(shape, other) else {
                throw NNError.invalidArgument("\(name): inputs of shapes \(inputShapes.map(\.description).joined(separator: ", ")) "
                    + "cannot be combined element by element (their sizes must agree or be 1)")
            }
            shape = merged
        }
        return shape
    }
}

extension Shape {
    /// The broadcast of two shapes where -1 (unknown) matches any size; nil when known sizes disagree.
    static func broadcastAllowingUnknown(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db }
            else if da < 0 { out[i] = db } else if db < 0 { out[i] = da } else { return nil }
        }
        return out
    }
}

/// The sum of its inputs: `Add()([x, shortcut])` (residual connections).
public final class Add: ElementwiseMerge {
    public static var typeName: String { "Add" }
    public init() {}
    public convenience init(config: ConfigReader) throws { try config.onlyKnown([]); self.init() }
    func combine(_ inputs: [Tensor]) -> Tensor { inputs.dropFirst().reduce(inputs[0], +) }
}

/// The first input minus the second.
public final class Subtract: ElementwiseMerge {
    public static var typeName: String { "Subtract" }
    static var takesPairs: Bool { true }
    public init() {}
    public convenience init(config: ConfigReader) throws { try config.onlyKnown([]); self.init() }
    func combine(_ inputs: [Tensor]) -> Tensor { inputs[0] - inputs[1] }
}

/// The elementwise product of its inputs (gating).
public final class Multiply: ElementwiseMerge {
    public static var typeName: String { "Multiply" }
    public init() {}
    public convenience init(config: ConfigReader) throws { try config.onlyKnown([]); self.init() }
    func combine(_ inputs: [Tensor]) -> Tensor { inputs.dropFirst().reduce(inputs[0], *) }
}

/// The mean of its inputs.
public final class Average: ElementwiseMerge {
    public static var typeName: String { "Average" }
    public init() {}
    public convenience init(config: ConfigReader) throws { try config.onlyKnown([]); self.init() }
    func combine(_ inputs: [Tensor]) -> Tensor { inputs.dropFirst().reduce(inputs[0], +) / Float(inputs.count) }
}

/// The elementwise maximum of its inputs.
public final class Maximum: ElementwiseMerge {
    public static var typeName: String { "Maximum" }
    public init() {}
    public convenience init(config: ConfigReader) throws { try config.onlyKnown([]); self.init() }
    func combine(_ inputs: [Tensor]) -> Tensor { inputs.dropFirst().reduce(inputs[0], Tensor.maximum) }
}

/// The elementwise minimum of its inputs.
public final class Minimum: ElementwiseMerge {
    public static var typeName: String { "Minimum" }
    public init() {}
    public convenience init(config: ConfigReader) throws { try config.onlyKnown([]); self.init() }
    func combine(_ inputs: [Tensor]) -> Tensor { inputs.dropFirst().reduce(inputs[0], Tensor.minimum) }
}
