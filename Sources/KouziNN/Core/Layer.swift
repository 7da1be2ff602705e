import KouziTensor

/// A differentiable building block: a function of a tensor with parameters.
///
/// Conforming classes implement ``callAsFunction(_:)``. Parameters declared with ``Param`` and
/// sub-layers stored in properties (also in arrays and optionals) are discovered automatically.
/// Layers that build lazily from the first input (like ``Dense`` without `inputSize`) implement
/// ``build(inputShape:)`` and report ``isBuilt``.
public protocol Layer: AnyObject {
    /// Applies the layer. Throws on an input the layer cannot take (wrong rank, wrong feature count).
    func callAsFunction(_ input: Tensor) throws -> Tensor

    /// Applies the layer to a batch of sequences with a mask `[batch, steps]` (1 for real steps, 0 for
    /// padding) and returns the output with the mask for the next layer, as Keras propagates masks.
    ///
    /// The default ignores the mask and passes it on unchanged. Layers that create a mask (an
    /// `Embedding` that masks padding ids), consume it (recurrent layers skip padded steps, attention
    /// ignores padded keys, pooling averages real steps) or drop the time axis override it.
    /// ``Sequential`` threads the mask through its layers with this method.
    func forward(_ input: Tensor, mask: Tensor?) throws -> (output: Tensor, mask: Tensor?)

    /// Creates parameters for inputs of `inputShape` (the batch dimension included as -1).
    func build(inputShape: [Int]) throws

    /// Whether the layer's parameters exist.
    var isBuilt: Bool { get }

    /// The output shape for an input shape (batch as -1), without computing anything.
    func outputShape(for inputShape: [Int]) throws -> [Int]

    /// A short name for summaries and weight keys.
    var name: String { get }

    /// The element type of the output for an input of `inputDType` (float32 unless the layer only moves elements).
    func outputDType(for inputDType: DType) -> DType

    /// Parameters of this layer and its sub-layers, keyed by their path (`"dense.kernel"`). The default walks
    /// the stored properties; a layer that keeps its sub-layers elsewhere (a functional model's graph) names them.
    var namedParameters: [(name: String, parameter: Parameter)] { get }
}

extension Layer {
    public func forward(_ input: Tensor, mask: Tensor?) throws -> (output: Tensor, mask: Tensor?) {
        (try self(input), mask)
    }

    public func build(inputShape: [Int]) throws {}
    public var isBuilt: Bool { true }
    public var name: String { String(describing: type(of: self)) }
    public func outputDType(for inputDType: DType) -> DType { .float32 }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let probe = Tensor.zeros(inputShape.map { $0 < 0 ? 1 : $0 })
        let out = try withoutGrad { try self(probe) }
        return [inputShape.first ?? 1] + out.shape.dropFirst()
    }

    /// Parameters of this layer and its sub-layers, keyed by their property path (`"dense.kernel"`).
    public var namedParameters: [(name: String, parameter: Parameter)] { reflectedParameters(of: self) }

    /// All parameters (trainable or not).
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// Parameters that optimisers update.
    public var trainableParameters: [Parameter] { parameters.filter(\.trainable) }

    /// Total number of scalar parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Clears all gradients.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// The parameters found by walking `subject`'s stored properties (and those of the layers they hold).
public func reflectedParameters(of subject: AnyObject) -> [(name: String, parameter: Parameter)] {
    var result: [(String, Parameter)] = []
    collectParameters(of: subject, prefix: "", into: &result)
    return result
}

/// Walks a value's stored properties looking for parameters and layers.
private func collectParameters(of subject: Any, prefix: String, into result: inout [(String, Parameter)]) {
    var mirror: Mirror? = Mirror(reflecting: subject)
    while let m = mirror {
        for child in m.children {
            var label = child.label ?? ""
            if label.hasPrefix("_") { label.removeFirst() }
            if label.hasPrefix("$__lazy_storage_$_") { label.removeFirst("$__lazy_storage_$_".count) }
            collectValue(child.value, path: prefix.isEmpty ? label : prefix + "." + label, into: &result)
        }
        mirror = m.superclassMirror
    }
}

private func collectValue(_ value: Any, path: String, into result: inout [(String, Parameter)]) {
    switch value {
    case let p as Param:
        result.append((path, p.projectedValue))
    case let p as Parameter:
        result.append((path, p))
    case let layer as any Layer:
        result += layer.namedParameters.map { (path + "." + $0.name, $0.parameter) }
    case let layers as [any Layer]:
        for (i, l) in layers.enumerated() { result += l.namedParameters.map { ("\(path).\(i).\($0.name)", $0.parameter) } }
    default:
        let m = Mirror(reflecting: value)
        if m.displayStyle == .optional, let wrapped = m.children.first?.value {
            collectValue(wrapped, path: path, into: &result)
        } else if m.displayStyle == .collection {
            for (i, c) in m.children.enumerated() { collectValue(c.value, path: "\(path).\(i)", into: &result) }
        }
    }
}

/// Whether layers behave as in training (dropout active, batch statistics) or inference.
public enum LearningPhase {
    @TaskLocal static var training: Bool = false

    /// True inside ``fit`` and custom loops wrapped in ``withLearningPhase(training:_:)``.
    public static var isTraining: Bool { training }
}

/// Runs `body` with the learning phase set (``Sequential/fit`` does this for you).
public func withLearningPhase<R>(training: Bool, _ body: () throws -> R) rethrows -> R {
    try LearningPhase.$training.withValue(training, operation: body)
}
