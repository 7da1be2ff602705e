import KouziData
import KouziTensor

/// Where `fit`, `evaluate` and `predict` take their batches from: one pass per epoch.
protocol BatchSource {
    /// Batches in one epoch, when known (for the progress bar).
    var batchesPerEpoch: Int? { get }
    /// The batches of `epoch`, one at a time.
    func batches(epoch: Int) -> AnyBatchIterator
}

/// A pass over batches whose `next()` may throw (a file that cannot be read, a transform that fails).
struct AnyBatchIterator {
    let next: () throws -> Batch?
}

/// Batches cut from tensors held in memory (one per input and per target), shuffled every epoch from the seed.
struct TensorBatches: BatchSource {
    let inputs: [Tensor]
    let targets: [Tensor]
    let batchSize: Int
    let shuffle: Bool
    let seed: UInt64

    var count: Int { inputs.first?.shape.first ?? 0 }
    var batchesPerEpoch: Int? { (count + batchSize - 1) / batchSize }

    /// The order epoch `epoch` visits the examples in: a permutation drawn from the seed and the epoch alone, so
    /// a resumed run visits them as an uninterrupted one.
    func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<count) }
        var generator = ShuffleGenerator(seed: seed, stream: UInt64(epoch) &+ 1)
        return generator.permutation(count)
    }

    func batches(epoch: Int) -> AnyBatchIterator {
        let n = count, steps = batchesPerEpoch ?? 0
        let order = order(epoch: epoch)
        let inputs = inputs, targets = targets, size = batchSize, whole = !shuffle && steps == 1
        var step = 0
        return AnyBatchIterator {
            guard step < steps else { return nil }
            defer { step += 1 }
            if whole { return Batch(inputs: inputs, targets: targets) }
            let rows = Array(order[(step * size)..<Swift.min((step + 1) * size, n)])
            return Batch(inputs: inputs.map { $0.rows(rows) }, targets: targets.map { $0.rows(rows) })
        }
    }

    /// Checks that every tensor holds the same number of examples.
    static func check(inputs: [Tensor], targets: [Tensor]) throws {
        guard let first = inputs.first else { throw NNError.invalidArgument("no inputs were given") }
        for (kind, list) in [("input", inputs), ("target", targets)] {
            for (i, t) in list.enumerated() where t.rank < 1 || t.shape[0] != first.shape[0] {
                throw NNError.invalidArgument("\(kind) \(i) has shape \(t.shape) but the first input has shape \(first.shape): "
                    + "their first (sample) dimensions must agree")
            }
        }
        guard first.shape[0] > 0 else { throw NNError.invalidArgument("no samples: x has shape \(first.shape)") }
    }
}
