import KouziData
import KouziTensor

extension Model {
    /// The loss of a batch under the compiled objectives: the weighted total (a scalar in the graph) and each
    /// trained output's value, with the outputs the forward pass gave.
    ///
    /// - Throws: ``NNError/notCompiled`` before `compile`, ``NNError/invalidArgument(_:)`` when the batch holds
    ///   fewer targets than the model has trained outputs, or the loss's own error on targets that do not fit.
    public func compiledLoss(_ batch: Batch) throws -> (total: Tensor, perOutput: [String: Float], outputs: [Tensor]) {
        guard !objectives.isEmpty else { throw NNError.notCompiled }
        let outputs = try self(batch.inputs)
        guard outputs.count == objectives.count else {
            throw NNError.invalidArgument("\(name) gave \(outputs.count) outputs but was compiled for \(objectives.count) "
                + "(\(objectives.map(\.name).joined(separator: ", ")))")
        }
        let trained = objectives.indices.filter { objectives[$0].loss != nil }
        guard let last = trained.last, batch.targets.count > last else {
            throw NNError.invalidArgument("\(name) trains \(trained.count) output\(trained.count == 1 ? "" : "s") "
                + "(\(trained.map { objectives[$0].name }.joined(separator: ", "))) but the batch holds \(batch.targets.count) target"
                + (batch.targets.count == 1 ? "" : "s"))
        }
        var total: Tensor?
        var perOutput: [String: Float] = [:]
        for i in trained {
            let objective = objectives[i]
            let value = try objective.loss!(outputs[i], batch.targets[i])
            perOutput[objective.name] = value.item
            let weighted = objective.weight == 1 ? value : value * objective.weight
            total = total.map { $0 + weighted } ?? weighted
        }
        return (total!, perOutput, outputs)
    }

    /// The compiled step of training (the default ``trainStep(_:)``): forward pass, compiled loss, backward pass,
    /// one optimiser update, loss trackers and metrics.
    ///
    /// - Throws: ``NNError/notCompiled``, the loss's errors, or ``NNError/invalidArgument(_:)`` when the loss is not
    ///   finite (before any update).
    public func compiledTrainStep(_ batch: Batch) throws -> [String: Float] {
        guard let optimizer else { throw NNError.notCompiled }
        let parameters = parametersInTraining ?? trainableParameters
        let (total, perOutput, outputs) = try withLearningPhase(training: true) { () throws -> (Tensor, [String: Float], [Tensor]) in
            let result = try compiledLoss(batch)
            for parameter in parameters { parameter.zeroGrad() }
            result.total.backward()
            return result
        }
        let value = total.item
        guard value.isFinite else {
            throw NNError.invalidArgument("the loss became \(value)\(stepContext.map { " at epoch \($0.epoch + 1), step \($0.step + 1)" } ?? ""): "
                + "lower the learning rate or check the data")
        }
        optimizer.step(parameters)
        return try record(loss: value, perOutput: perOutput, outputs: outputs.map { $0.detached() }, batch: batch)
    }

    /// The compiled step of evaluation (the default ``testStep(_:)``): forward pass in inference mode, compiled
    /// loss, loss trackers and metrics.
    public func compiledTestStep(_ batch: Batch) throws -> [String: Float] {
        let (total, perOutput, outputs) = try withoutGrad {
            try withLearningPhase(training: false) { try compiledLoss(batch) }
        }
        return try record(loss: total.item, perOutput: perOutput, outputs: outputs, batch: batch)
    }

    /// Adds a batch to the loss trackers and compiled metrics and returns the running logs.
    private func record(loss: Float, perOutput: [String: Float], outputs: [Tensor], batch: Batch) throws -> [String: Float] {
        let n = batch.count
        lossTrackers.add("loss", loss, count: n)
        let several = objectives.count > 1
        if several { for (name, value) in perOutput { lossTrackers.add(name + "_loss", value, count: n) } }
        for (i, objective) in objectives.enumerated() where !objective.metrics.isEmpty {
            guard i < batch.targets.count else { continue }
            for metric in objective.metrics { try metric.update(predictions: outputs[i], targets: batch.targets[i]) }
        }
        return compiledLogs()
    }

    /// The running loss(es) and compiled metrics: `loss` and the metric names for one output; `loss`,
    /// `NAME_loss` and `NAME_METRIC` for several.
    public func compiledLogs() -> [String: Float] {
        var logs: [String: Float] = [:]
        if let loss = lossTrackers.mean("loss") { logs["loss"] = loss }
        let several = objectives.count > 1
        for objective in objectives {
            if several, let loss = lossTrackers.mean(objective.name + "_loss") { logs[objective.name + "_loss"] = loss }
            for metric in objective.metrics { logs[several ? objective.name + "_" + metric.name : metric.name] = metric.result() }
        }
        return logs
    }

    /// Resets the compiled metrics, the loss trackers and every metric stored in the model's properties.
    public func resetMetrics() {
        lossTrackers.reset()
        for objective in objectives { for metric in objective.metrics { metric.reset() } }
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror {
            for child in m.children {
                if let metric = child.value as? any Metric { metric.reset() }
                if let list = child.value as? [any Metric] { for metric in list { metric.reset() } }
            }
            mirror = m.superclassMirror
        }
    }
}
