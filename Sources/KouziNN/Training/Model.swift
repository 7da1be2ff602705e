import KouziTensor

/// A trainable network with the Keras workflow: `compile`, `fit`, `evaluate`, `predict`, `summary`.
///
/// Use ``Sequential`` for a stack of layers, or subclass `Model` and override
/// ``callAsFunction(_:)`` for any other architecture; layers stored in properties are found
/// automatically.
open class Model: Layer, @unchecked Sendable {
    /// Optimiser set by ``compile(optimizer:loss:metrics:)``.
    public internal(set) var optimizer: Optimizer?
    /// Loss set by ``compile(optimizer:loss:metrics:)``.
    public internal(set) var loss: Loss?
    /// Metrics set by ``compile(optimizer:loss:metrics:)``.
    public internal(set) var metrics: [any Metric] = []
    /// Shape of one input sample (without the batch dimension), once known.
    public var inputShape: [Int]?
    /// Names of the output classes, stored in model files.
    public var classLabels: [String]?
    /// Free-form notes stored in model files.
    public var metadata: [String: String] = [:]
    /// Set by callbacks (e.g. early stopping) to end ``fit`` after the current epoch.
    public var stopTraining = false

    public init(inputShape: [Int]? = nil) { self.inputShape = inputShape }

    /// The forward pass. Subclasses override it.
    open func callAsFunction(_ input: Tensor) throws -> Tensor {
        throw NNError.invalidArgument("\(type(of: self)) must override callAsFunction(_:)")
    }

    open var isBuilt: Bool { true }
    open func build(inputShape: [Int]) throws {}
    open var name: String { String(describing: type(of: self)) }

    /// Sets the optimiser, loss and metrics used by ``fit`` and ``evaluate``.
    public func compile(optimizer: Optimizer, loss: Loss, metrics: [any Metric] = []) {
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
    }

    /// Same as ``compile(optimizer:loss:metrics:)`` with metrics given by name (`"accuracy"` …).
    public func compile(optimizer: Optimizer, loss: Loss, metrics names: [String]) throws {
        compile(optimizer: optimizer, loss: loss, metrics: try names.map(Metrics.named))
    }

    /// Builds lazily initialised layers by running one sample through the network.
    ///
    /// A dimension of ``inputShape`` given as -1 is free (a sequence length, say); the others must
    /// match `sampleShape`.
    public func ensureBuilt(sampleShape: [Int]) throws {
        if inputShape == nil { inputShape = sampleShape }
        guard let inputShape else { return }
        let fits = sampleShape.count == inputShape.count
            && zip(sampleShape, inputShape).allSatisfy { $1 < 0 || $0 < 0 || $0 == $1 }
        guard fits else {
            throw NNError.invalidInput(layer: name, expected: "[batch] + \(inputShape) (declare a free dimension as -1 in inputShape)",
                                       got: [-1] + sampleShape)
        }
        if !isBuilt {
            let probe = zip(sampleShape, inputShape).map { $0 >= 0 ? $0 : ($1 >= 0 ? $1 : 1) }
            _ = try withoutGrad { try self(Tensor.zeros([1] + probe)) }
        }
    }

    /// Predictions for `x` in batches, without recording gradients and in inference mode.
    public func predict(_ x: Tensor, batchSize: Int = 256) throws -> Tensor {
        guard x.rank >= 1 else { throw NNError.invalidInput(layer: name, expected: "[batch, …]", got: x.shape) }
        try ensureBuilt(sampleShape: Array(x.shape.dropFirst()))
        return try withoutGrad {
            try withLearningPhase(training: false) {
                let n = x.shape[0]
                if n <= batchSize { return try self(x) }
                var parts: [Tensor] = []
                var start = 0
                while start < n {
                    let end = Swift.min(start + batchSize, n)
                    parts.append(try self(x.slice(axis: 0, start..<end)))
                    start = end
                }
                return Tensor.concatenate(parts, axis: 0)
            }
        }
    }

    /// Loss and metrics on `(x, y)`; keys are `"loss"` and each metric's name.
    public func evaluate(x: Tensor, y: Tensor, batchSize: Int = 256) throws -> [String: Float] {
        guard let loss else { throw NNError.notCompiled }
        try checkPair(x, y)
        try ensureBuilt(sampleShape: Array(x.shape.dropFirst()))
        for m in metrics { m.reset() }
        var total: Double = 0
        let n = x.shape[0]
        try withoutGrad {
            try withLearningPhase(training: false) {
                var start = 0
                while start < n {
                    let end = Swift.min(start + batchSize, n)
                    let xb = x.slice(axis: 0, start..<end), yb = y.slice(axis: 0, start..<end)
                    let p = try self(xb)
                    total += Double(try loss(p, yb).item) * Double(end - start)
                    for m in metrics { try m.update(predictions: p, targets: yb) }
                    start = end
                }
            }
        }
        var logs = ["loss": Float(total / Double(Swift.max(n, 1)))]
        for m in metrics { logs[m.name] = m.result() }
        return logs
    }

    func checkPair(_ x: Tensor, _ y: Tensor) throws {
        guard x.rank >= 1, y.rank >= 1, x.shape[0] == y.shape[0] else {
            throw NNError.invalidArgument("x has shape \(x.shape) but y has shape \(y.shape): their first (sample) dimensions must agree")
        }
        guard x.shape[0] > 0 else { throw NNError.invalidArgument("no samples: x has shape \(x.shape)") }
    }
}

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

    public override var isBuilt: Bool { layers.allSatisfy(\.isBuilt) }
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
