import KouziBase
import KouziData
import KouziTensor

/// Per-epoch logs of a `fit` run.
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

/// How much ``Model/fit(x:y:epochs:batchSize:validationData:validationSplit:shuffle:callbacks:verbose:seed:initialEpoch:)`` prints.
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
    ///     `initialEpoch..<epochs`, with the same sample order and random draws those epochs would have had in one run.
    /// - Returns: the per-epoch history of the epochs run here.
    /// - Throws: ``NNError`` when the model is not compiled or the data do not fit it; training
    ///   stops before any update in that case.
    @discardableResult
    public func fit(x: Tensor, y: Tensor, epochs: Int = 1, batchSize: Int = 32,
                    validationData: (x: Tensor, y: Tensor)? = nil, validationSplit: Float = 0,
                    shuffle: Bool = true, callbacks: [any Callback] = [], verbose: Verbosity = .auto,
                    seed: UInt64 = 0, initialEpoch: Int = 0) throws -> History {
        try fit(x: [x], y: [y], epochs: epochs, batchSize: batchSize, validationData: validationData.map { ([$0.x], [$0.y]) },
                validationSplit: validationSplit, shuffle: shuffle, callbacks: callbacks, verbose: verbose, seed: seed,
                initialEpoch: initialEpoch)
    }

    /// Trains a model with several inputs or outputs on tensors held in memory: one per input (`x`) and one per
    /// trained output (`y`), examples along the first axis of each.
    @discardableResult
    public func fit(x: [Tensor], y: [Tensor], epochs: Int = 1, batchSize: Int = 32,
                    validationData: (x: [Tensor], y: [Tensor])? = nil, validationSplit: Float = 0,
                    shuffle: Bool = true, callbacks: [any Callback] = [], verbose: Verbosity = .auto,
                    seed: UInt64 = 0, initialEpoch: Int = 0) throws -> History {
        guard !optimizers.isEmpty else { throw NNError.notCompiled }
        try TensorBatches.check(inputs: x, targets: y)
        guard batchSize > 0 else { throw NNError.invalidArgument("batchSize must be > 0, got \(batchSize)") }
        guard (0..<1).contains(validationSplit) else {
            throw NNError.invalidArgument("validationSplit must be in [0, 1), got \(validationSplit)")
        }
        var trainX = x, trainY = y
        var validation = validationData
        if validation == nil && validationSplit > 0 {
            let n = x[0].shape[0], held = Int((Float(n) * validationSplit).rounded())
            guard held > 0 && held < n else {
                throw NNError.invalidArgument("validationSplit \(validationSplit) leaves no training or validation samples out of \(n)")
            }
            trainX = x.map { $0.slice(axis: 0, 0..<(n - held)) }
            trainY = y.map { $0.slice(axis: 0, 0..<(n - held)) }
            validation = (x.map { $0.slice(axis: 0, (n - held)..<n) }, y.map { $0.slice(axis: 0, (n - held)..<n) })
        }
        if let v = validation { try TensorBatches.check(inputs: v.x, targets: v.y) }
        try checkTrainingInputs(trainX.map { Array($0.shape.dropFirst()) })
        let train = TensorBatches(inputs: trainX, targets: trainY, batchSize: batchSize, shuffle: shuffle, seed: seed)
        let held = validation.map {
            TensorBatches(inputs: $0.x, targets: $0.y, batchSize: Swift.max(batchSize, 256), shuffle: false, seed: 0)
        }
        return try run(train: train, validation: held, epochs: epochs, callbacks: callbacks, verbose: verbose, seed: seed,
                       initialEpoch: initialEpoch)
    }

    /// Checks (or builds the model from) the sample shapes of the training inputs. A compiled model trains on
    /// batches of its inputs; a model with a training step of its own may read batches of anything.
    func checkTrainingInputs(_ sampleShapes: [[Int]]) throws {
        if !isBuilt || !objectives.isEmpty { try ensureBuilt(sampleShapes: sampleShapes) }
    }

    /// The training loop shared by every form of `fit`: epochs of ``trainStep(_:)`` calls with callbacks, the
    /// progress bar, validation after each epoch and the step context that makes random draws reproducible.
    func run(train: BatchSource, validation: BatchSource?, epochs: Int, callbacks: [any Callback], verbose: Verbosity,
             seed: UInt64, initialEpoch: Int) throws -> History {
        guard epochs >= 0 else { throw NNError.invalidArgument("epochs must be ≥ 0, got \(epochs)") }
        guard (0...epochs).contains(initialEpoch) else {
            throw NNError.invalidArgument("initialEpoch must be in 0...\(epochs), got \(initialEpoch)")
        }
        var start = initialEpoch
        for case let restoring as any RestoringCallback in callbacks {
            if let done = try restoring.restore(into: self) { start = Swift.max(start, Swift.min(done, epochs)) }
        }
        var history = History()
        let progress = ProgressReporter(verbosity: verbose, epochs: epochs, steps: train.batchesPerEpoch)
        stopTraining = false
        for c in callbacks { try c.onTrainBegin(model: self) }
        defer { parametersInTraining = nil }
        for epoch in start..<Swift.max(start, epochs) {
            for c in callbacks { try c.onEpochBegin(epoch, model: self) }
            resetMetrics()
            progress.beginEpoch(epoch)
            let batches = train.batches(epoch: epoch)
            var logs: [String: Float] = [:]
            var step = 0
            while let batch = try batches.next() {
                try StopRequest.check()
                if parametersInTraining == nil {
                    try checkTrainingInputs(batch.inputs.map { Array($0.shape.dropFirst()) })
                    parametersInTraining = trainableParameters
                }
                let context = TrainingStepContext(seed: seed, epoch: epoch, step: step)
                logs = try TrainingStepContext.$current.withValue(context) { try trainStep(batch) }
                step += 1
                progress.step(step, logs: logs)
                for c in callbacks { try c.onBatchEnd(step - 1, logs: logs, model: self) }
            }
            guard step > 0 else { throw NNError.invalidArgument("the training data gave no batches in epoch \(epoch + 1)") }
            if let validation {
                for (k, v) in try evaluate(validation) { logs["val_" + k] = v }
            }
            if let optimizer { logs["lr"] = optimizer.learningRate }
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
