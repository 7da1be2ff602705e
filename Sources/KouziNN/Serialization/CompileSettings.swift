import KouziTensor

extension Model {
    /// The compile settings as model files keep them: the optimiser, and the loss and metrics (per output for a
    /// model with several: `losses`, `loss_weights`, `metrics` keyed by output name).
    func compileSettings() -> [String: JSONValue]? {
        guard let optimizer, !objectives.isEmpty else { return nil }
        func component(_ name: String, _ options: [String: Double]) -> JSONValue {
            ["name": .string(name), "options": .object(options.mapValues { .number($0) })]
        }
        var settings: [String: JSONValue] = ["optimizer": component(optimizer.name, optimizer.options)]
        if objectives.count == 1, let loss = objectives[0].loss {
            settings["loss"] = component(loss.name, loss.options)
            settings["metrics"] = .array(objectives[0].metrics.map { .string($0.name) })
        } else {
            settings["losses"] = .object(Dictionary(objectives.compactMap { o in o.loss.map { (o.name, component($0.name, $0.options)) } },
                                                    uniquingKeysWith: { a, _ in a }))
            settings["loss_weights"] = .object(Dictionary(objectives.map { ($0.name, .number(Double($0.weight))) }, uniquingKeysWith: { a, _ in a }))
            settings["metrics"] = .object(Dictionary(objectives.map { ($0.name, .array($0.metrics.map { .string($0.name) })) },
                                                     uniquingKeysWith: { a, _ in a }))
        }
        return settings
    }

    /// Compiles the model from settings written by ``compileSettings()``.
    func applyCompileSettings(_ settings: [String: JSONValue]) throws {
        func parts(_ value: JSONValue?) -> (name: String, options: [String: Double])? {
            guard let name = value?["name"]?.stringValue else { return nil }
            return (name, (value?["options"]?.objectValue ?? [:]).compactMapValues(\.doubleValue))
        }
        guard let opt = parts(settings["optimizer"]) else { return }
        let optimizer = try Optimizer.named(opt.name, options: opt.options)
        if let loss = parts(settings["loss"]) {
            let metrics = try (settings["metrics"]?.arrayValue ?? []).compactMap(\.stringValue).map(Metrics.named)
            compile(optimizer: optimizer, loss: try Loss(named: loss.name, options: loss.options), metrics: metrics)
        } else if let losses = settings["losses"]?.objectValue {
            var byOutput: [String: Loss] = [:]
            for (output, value) in losses {
                guard let loss = parts(value) else { continue }
                byOutput[output] = try Loss(named: loss.name, options: loss.options)
            }
            let weights = (settings["loss_weights"]?.objectValue ?? [:]).compactMapValues { $0.doubleValue.map(Float.init) }
            let metrics = try (settings["metrics"]?.objectValue ?? [:]).mapValues {
                try ($0.arrayValue ?? []).compactMap(\.stringValue).map(Metrics.named)
            }
            try compile(optimizer: optimizer, losses: byOutput, lossWeights: weights, metricInstances: metrics)
        }
    }
}
