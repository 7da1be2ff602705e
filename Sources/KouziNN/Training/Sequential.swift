import KouziTensor

/// A linear stack of layers.
///
/// ```swift
/// let model = Sequential(inputShape: [784]) {
///     Dense(128, activation: .relu)
///     Dense(64, activation: .relu)
///     Dense(10, activation: .softmax)
/// }
/// model.compile(optimizer: Adam(), loss: .sparseCategoricalCrossentropy(), metrics: [Accuracy()])
/// let history = try model.fit(x: x, y: y, epochs: 10, batchSize: 64)
/// ```
public final class Sequential: Model, @unchecked Sendable {
    /// The layers, applied in order.
    public private(set) var layers: [any Layer]

    /// A stack of `layers`; with `inputShape` (one sample, no batch dimension) it builds at once.
    public init(inputShape: [Int]? = nil, _ layers: [any Layer]) {
        self.layers = layers
        super.init(inputShape: inputShape)
        if let inputShape { try? ensureBuilt(sampleShape: inputShape) }
    }

    /// A stack written with a result builder.
    public convenience init(inputShape: [Int]? = nil, @LayerBuilder _ content: () -> [any Layer]) {
        self.init(inputShape: inputShape, content())
    }

    /// Appends a layer.
    public func add(_ layer: any Layer) { layers.append(layer) }

    public override func callAsFunction(_ input: Tensor) throws -> Tensor {
        var x = input
        var mask: Tensor? = nil
        for layer in layers { (x, mask) = try layer.forward(x, mask: mask) }
        return x
    }

    /// Threads the mask through the stack and hands the last one on (a Sequential inside another model).
    public override func forward(_ input: Tensor, mask: Tensor?) throws -> (output: Tensor, mask: Tensor?) {
        var x = input
        var mask = mask
        for layer in layers { (x, mask) = try layer.forward(x, mask: mask) }
        return (x, mask)
    }

    public override var isBuilt: Bool { layers.allSatisfy(\.isBuilt) }

    /// Loads a `Sequential` model saved with ``Model/save(to:)``.
    ///
    /// - Throws: ``NNError/invalidModelFile(path:reason:)`` naming what is missing, corrupt or inconsistent, or
    ///   saying that the file holds another kind of model (load it with ``Model/load(from:)``).
    public override class func load(from path: String) throws -> Sequential {
        let model = try read(from: path)
        guard let sequential = model as? Sequential else {
            throw NNError.invalidModelFile(path: path, reason: "it holds a \(model.isFunctional ? "functional" : "subclassed") model, "
                + "not a Sequential one: load it with Model.load(from:)")
        }
        return sequential
    }
    public override var name: String { "Sequential" }
}

/// Collects layers written one per line.
@resultBuilder
public enum LayerBuilder {
    public static func buildExpression(_ layer: any Layer) -> [any Layer] { [layer] }
    public static func buildBlock(_ parts: [any Layer]...) -> [any Layer] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any Layer]?) -> [any Layer] { part ?? [] }
    public static func buildEither(first: [any Layer]) -> [any Layer] { first }
    public static func buildEither(second: [any Layer]) -> [any Layer] { second }
    public static func buildArray(_ parts: [[any Layer]]) -> [any Layer] { parts.flatMap { $0 } }
}
