import KouziBase
import KouziData
import KouziTensor

extension Model {
    /// Predictions for `x` in batches, without recording gradients and in inference mode.
    public func predict(_ x: Tensor, batchSize: Int = 256) throws -> Tensor {
        guard x.rank >= 1 else { throw NNError.invalidInput(layer: name, expected: "[batch, …]", got: x.shape) }
        let outputs = try predict([x], batchSize: batchSize)
        guard outputs.count == 1 else {
            throw NNError.invalidArgument("\(name) has \(outputs.count) outputs: use predict(_ inputs: [Tensor]) to get them all")
        }
        return outputs[0]
    }

    /// Predictions of a model with several inputs or outputs: one tensor per input in, one per output out.
    public func predict(_ inputs: [Tensor], batchSize: Int = 256) throws -> [Tensor] {
        guard let first = inputs.first, first.rank >= 1, batchSize > 0 else {
            throw NNError.invalidArgument("predict needs at least one input with a batch dimension and batchSize > 0")
        }
        for (i, t) in inputs.enumerated() where t.rank < 1 || t.shape[0] != first.shape[0] {
            throw NNError.invalidArgument("input \(i) has shape \(t.shape) but input 0 has shape \(first.shape): their first dimensions must agree")
        }
        if !isBuilt || inputShape == nil { try ensureBuilt(sampleShapes: inputs.map { Array($0.shape.dropFirst()) }) }
        let n = first.shape[0]
        if n <= batchSize { return try predictStep(Batch(inputs: inputs)) }
        var parts: [[Tensor]] = []
        var start = 0
        while start < n {
            try StopRequest.check()
            let end = Swift.min(start + batchSize, n)
            parts.append(try predictStep(Batch(inputs: inputs.map { $0.slice(axis: 0, start..<end) })))
            start = end
        }
        return parts[0].indices.map { k in Tensor.concatenate(parts.map { $0[k] }, axis: 0) }
    }

    /// Loss and metrics on `(x, y)`; keys are `"loss"` and each metric's name.
    public func evaluate(x: Tensor, y: Tensor, batchSize: Int = 256) throws -> [String: Float] {
        try evaluate(x: [x], y: [y], batchSize: batchSize)
    }

    /// Loss and metrics of a model with several inputs or outputs on tensors held in memory.
    public func evaluate(x: [Tensor], y: [Tensor], batchSize: Int = 256) throws -> [String: Float] {
        try TensorBatches.check(inputs: x, targets: y)
        try ensureBuilt(sampleShapes: x.map { Array($0.shape.dropFirst()) })
        return try evaluate(TensorBatches(inputs: x, targets: y, batchSize: Swift.max(1, batchSize), shuffle: false, seed: 0))
    }

    /// Runs ``testStep(_:)`` over every batch of `source` after resetting the metrics; the last logs.
    func evaluate(_ source: BatchSource) throws -> [String: Float] {
        resetMetrics()
        let batches = source.batches(epoch: 0)
        var logs: [String: Float] = [:]
        while let batch = try batches.next() {
            try StopRequest.check()
            logs = try testStep(batch)
        }
        return logs
    }
}
