import KouziTensor

/// Per-epoch logs of a ``Model/fit(x:y:epochs:batchSize:validationData:validationSplit:shuffle:callbacks:verbose:seed:)`` run.
public struct History: Sendable, CustomStringConvertible {
    /// One dictionary per completed epoch (`"loss"`, metric names, `"val_…"`, `"lr"`).
    public internal(set) var epochs: [[String: Float]] = []

    /// The values of one key across epochs.
    public subscript(key: String) -> [Float] { epochs.compactMap { $0[key] } }

    /// Keys present in the logs.
    public var keys: [String] { Array(Set(epochs.flatMap(\.keys))).sorted() }

    public var description: String {
        epochs.enumerated().map { i, logs in
            "epoch \(i + 1): " + logs.keys.sorted().map { "\($0)=\(formatLog(logs[$0]!))" }.joined(separator: " ")
        }.joined(separator: "\n")
    }
}

/// How much ``Model/fit`` prints.
public enum Verbosity: Sendable {
    /// Nothing.
    case silent
    /// A live progress bar on a terminal, one line per epoch otherwise.
    case auto
    /// One line per epoch.
    case epochLines
}

extension Model {
    /// Trains the model on `(x, y)`.
    ///
    /// - Parameters:
    ///   - validationData: held-out data evaluated after every epoch (keys prefixed `val_`).
    ///   - validationSplit: fraction of the samples (taken from the end, before shuffling) held out
    ///     for validation when `validationData` is nil.
    ///   - shuffle: reshuffle the training samples every epoch (reproducible with `seed`).
    ///   - initialEpoch: the number of epochs already done (resuming from a checkpoint): training runs epochs
    ///     `initialEpoch..<epochs`, with the same sample order those epochs would have had in one run.
    /// - Returns: the per-epoch history of the epochs run here.
    /// - Throws: ``NNError`` when the model is not compiled or the data do not fit it; training
    ///   stops before any update in that case.
    @discardableResult
    public func fit(x: Tensor, y: Tensor, epochs: Int = 1, batchSize: Int = 32,
                    validationData: (x: Tensor, y: Tensor)? = nil, validationSplit: Float = 0,
                    shuffle: Bool = true, callbacks: [any Callback] = [], verbose: Verbosity = .auto,
                    seed: UInt64 = 0, initialEpoch: Int = 0) throws -> History {
        guard let optimizer, let loss else { throw NNError.notCompiled }
        try checkPair(x, y)
        guard epochs >= 0, batchSize > 0 else {
            throw NNError.invalidArgument("epochs must be ≥ 0 and batchSize > 0 (got \(epochs), \(batchSize))")
        }
        guard (0...epochs).contains(initialEpoch) else {
            throw NNError.invalidArgument("initialEpoch must be in 0...\(epochs), got \(initialEpoch)")
        }
        guard (0..<1).contains(validationSplit) else {
            throw NNError.invalidArgument("validationSplit must be in [0, 1), got \(validationSplit)")
        }
        var trainX = x, trainY = y
        var validation = validationData
        if validation == nil && validationSplit > 0 {
            let n = x.shape[0], held = Int((Float(n) * validationSplit).rounded())
            guard held > 0 && held < n else {
                throw NNError.invalidArgument("validationSplit \(validationSplit) leaves no training or validation samples out of \(n)")
            }
            trainX = x.slice(axis: 0, 0..<(n - held)); trainY = y.slice(axis: 0, 0..<(n - held))
            validation = (x.slice(axis: 0, (n - held)..<n), y.slice(axis: 0, (n - held)..<n))
        }
        if let v = validation { try checkPair(v.x, v.y) }
        try ensureBuilt(sampleShape: Array(trainX.shape.dropFirst()))
        let params = trainableParameters
        let n = trainX.shape[0]
        let steps = (n + batchSize - 1) / batchSize
        var history = History()
        var rng = SeededGenerator(seed: seed)
        let progress = ProgressReporter(verbosity: verbose, epochs: epochs, steps: steps)
        stopTraining = false
        var order = Array(0..<n)
        if shuffle {
            // Epochs done before a resume drew their orders from the same generator: replay those draws.
            for _ in 0..<initialEpoch { order.shuffle(using: &rng) }
        }
        for c in callbacks { try c.onTrainBegin(model: self) }
        for epoch in initialEpoch..<epochs {
            for c in callbacks { try c.onEpochBegin(epoch, model: self) }
            if shuffle { order = Array(0..<n); order.shuffle(using: &rng) }
            for m in metrics { m.reset() }
            var lossSum: Double = 0
            progress.beginEpoch(epoch)
            for step in 0..<steps {
                let idx = Array(order[(step * batchSize)..<Swift.min((step + 1) * batchSize, n)])
                let xb = shuffle || steps > 1 ? trainX.rows(idx) : trainX
                let yb = shuffle || steps > 1 ? trainY.rows(idx) : trainY
                let (value, predictions) = try withLearningPhase(training: true) { () throws -> (Float, Tensor) in
                    let p = try self(xb)
                    let l = try loss(p, yb)
                    for param in params { param.zeroGrad() }
                    l.backward()
                    return (l.item, p.detached())
                }
                guard value.isFinite else {
                    throw NNError.invalidArgument("the loss became \(value) at epoch \(epoch + 1), step \(step + 1): lower the learning rate or check the data")
                }
                optimizer.step(params)
                lossSum += Double(value) * Double(idx.count)
                for m in metrics { try m.update(predictions: predictions, targets: yb) }
                var logs = ["loss": Float(lossSum / Double(Swift.min((step + 1) * batchSize, n)))]
                for m in metrics { logs[m.name] = m.result() }
                progress.step(step + 1, logs: logs)
                for c in callbacks { try c.onBatchEnd(step, logs: logs, model: self) }
            }
            var logs = ["loss": Float(lossSum / Double(n))]
            for m in metrics { logs[m.name] = m.result() }
            if let v = validation {
                for (k, val) in try evaluate(x: v.x, y: v.y, batchSize: Swift.max(batchSize, 256)) { logs["val_" + k] = val }
            }
            logs["lr"] = optimizer.learningRate
            history.epochs.append(logs)
            progress.endEpoch(epoch, logs: logs)
            for c in callbacks { try c.onEpochEnd(epoch, logs: logs, model: self) }
            if stopTraining { break }
        }
        for c in callbacks { try c.onTrainEnd(model: self) }
        return history
    }
}

func formatLog(_ v: Float) -> String {
    if v != 0 && (Swift.abs(v) < 1e-3 || Swift.abs(v) >= 1e5) { return String(describing: v) }
    let r = (Double(v) * 10_000).rounded() / 10_000
    var s = String(r)
    while s.contains(".") && s.split(separator: ".")[1].count < 4 { s += "0" }
    return s
}
