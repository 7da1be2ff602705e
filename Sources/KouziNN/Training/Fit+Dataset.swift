import KouziBase
import KouziData
import KouziTensor

/// Batches from a streaming ``Dataset``: each epoch a fresh pass (shuffled by the pipeline's own seeds).
struct DatasetBatches: BatchSource {
    let dataset: Dataset<Batch>

    var batchesPerEpoch: Int? { dataset.count }

    func batches(epoch: Int) -> AnyBatchIterator {
        let iterator = dataset.makeIterator(epoch: epoch)
        return AnyBatchIterator { try iterator.next() }
    }
}

extension Model {
    /// Trains the model on a streaming data set of batches: read lazily, transformed on worker threads, never
    /// held whole in memory.
    ///
    /// ```swift
    /// let train = try Dataset.tensorSlices(inputs: [x], targets: [y]).shuffled(buffer: 10_000, seed: 1).batched(64).prefetched(2)
    /// try model.fit(train, epochs: 10, validationData: test.batched(256))
    /// ```
    ///
    /// Epoch `e` iterates `data.makeIterator(epoch: e)`, so a pipeline's shuffling and augmentation are the same
    /// in a resumed run. `seed` seeds the training steps' random draws (dropout, ``stepContext``).
    /// - Throws: ``NNError`` when the model is not compiled or a batch does not fit it (before any update when it
    ///   is the first), or the pipeline's own errors.
    @discardableResult
    public func fit(_ data: Dataset<Batch>, epochs: Int = 1, validationData: Dataset<Batch>? = nil,
                    callbacks: [any Callback] = [], verbose: Verbosity = .auto, seed: UInt64 = 0,
                    initialEpoch: Int = 0) throws -> History {
        guard !optimizers.isEmpty else { throw NNError.notCompiled }
        return try run(train: DatasetBatches(dataset: data), validation: validationData.map(DatasetBatches.init),
                       epochs: epochs, callbacks: callbacks, verbose: verbose, seed: seed, initialEpoch: initialEpoch)
    }

    /// Loss and metrics over every batch of a streaming data set (through ``testStep(_:)``).
    public func evaluate(_ data: Dataset<Batch>) throws -> [String: Float] {
        try evaluate(DatasetBatches(dataset: data))
    }

    /// The outputs for every batch of a streaming data set, concatenated along the batch axis (one tensor per
    /// output).
    public func predict(_ data: Dataset<Batch>) throws -> [Tensor] {
        let iterator = data.makeIterator(epoch: 0)
        var parts: [[Tensor]] = []
        while let batch = try iterator.next() {
            try StopRequest.check()
            if parts.isEmpty && (!isBuilt || inputShape == nil) {
                try ensureBuilt(sampleShapes: batch.inputs.map { Array($0.shape.dropFirst()) })
            }
            parts.append(try predictStep(batch))
        }
        guard let first = parts.first else { return [] }
        return first.indices.map { k in Tensor.concatenate(parts.map { $0[k] }, axis: 0) }
    }
}
