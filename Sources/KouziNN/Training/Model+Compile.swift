import KouziTensor

/// What one output of a model is trained on and scored by.
public struct OutputObjective {
    /// The output's name (the model's output names: `output` for a model with one).
    public var name: String
    /// The loss on this output, or nil for an output that is not trained.
    public var loss: Loss?
    /// The loss's weight in the total the optimiser minimises.
    public var weight: Float
    /// Metrics of this output.
    public var metrics: [any Metric]

    /// An objective for the output `name`.
    public init(name: String, loss: Loss?, weight: Float = 1, metrics: [any Metric] = []) {
        self.name = name
        self.loss = loss
        self.weight = weight
        self.metrics = metrics
    }
}

/// Running means of the total loss and of each output's loss, weighted by batch size.
final class LossTrackers: @unchecked Sendable {
    private(set) var totals: [String: (sum: Double, count: Double)] = [:]

    func reset() { totals = [:] }

    func add(_ key: String, _ value: Float, count: Int) {
        let old = totals[key] ?? (0, 0)
        totals[key] = (old.sum + Double(value) * Double(count), old.count + Double(count))
    }

    func mean(_ key: String) -> Float? {
        totals[key].map { Float($0.sum / Swift.max($0.count, 1)) }
    }
}

extension Model {
    /// Names of the outputs: those given to a functional model, else `output`.
    public var outputNames: [String] { graph?.outputs.map(\.name) ?? ["output"] }

    /// Sets the optimiser, the loss of every output and the metrics (of the first output, for a model with several).
    public func compile(optimizer: Optimizer, loss: Loss, metrics: [any Metric] = []) {
        self.optimizer = optimizer
        objectives = outputNames.enumerated().map { i, name in
            OutputObjective(name: name, loss: loss, metrics: i == 0 ? metrics : [])
        }
    }

    /// Same as ``compile(optimizer:loss:metrics:)`` with metrics given by name (`"accuracy"` …); for a model with
    /// several outputs, each output gets its own instances.
    public func compile(optimizer: Optimizer, loss: Loss, metrics names: [String]) throws {
        let perOutput = try outputNames.map { _ in try names.map(Metrics.named) }
        self.optimizer = optimizer
        objectives = zip(outputNames, perOutput).map { OutputObjective(name: $0, loss: loss, metrics: $1) }
    }

    /// Sets a loss, loss weight and metrics per output, by output name. Outputs without a loss are not trained
    /// (they need no targets); the total loss is the weighted sum.
    ///
    /// ```swift
    /// try model.compile(optimizer: Adam(), losses: ["class": .sparseCategoricalCrossentropy(), "box": .meanSquaredError],
    ///                   lossWeights: ["box": 0.5], metrics: ["class": ["accuracy"]])
    /// ```
    /// - Throws: ``NNError/invalidArgument(_:)`` for a name that is not an output, or when no output has a loss.
    public func compile(optimizer: Optimizer, losses: [String: Loss], lossWeights: [String: Float] = [:],
                        metrics: [String: [String]] = [:]) throws {
        try compile(optimizer: optimizer, losses: losses, lossWeights: lossWeights,
                    metricInstances: try metrics.mapValues { try $0.map(Metrics.named) })
    }

    /// ``compile(optimizer:losses:lossWeights:metrics:)`` with metric instances.
    public func compile(optimizer: Optimizer, losses: [String: Loss], lossWeights: [String: Float] = [:],
                        metricInstances metrics: [String: [any Metric]]) throws {
        let names = outputNames
        for key in Set(losses.keys).union(lossWeights.keys).union(metrics.keys) where !names.contains(key) {
            throw NNError.invalidArgument("'\(key)' is not an output of \(name) (outputs: \(names.joined(separator: ", ")))")
        }
        guard !losses.isEmpty else { throw NNError.invalidArgument("compile needs a loss for at least one output") }
        self.optimizer = optimizer
        objectives = names.map {
            OutputObjective(name: $0, loss: losses[$0], weight: lossWeights[$0] ?? 1, metrics: metrics[$0] ?? [])
        }
    }
}
