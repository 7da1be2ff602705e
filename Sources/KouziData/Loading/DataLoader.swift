import KouziTensor

/// Iterates over an ``IndexedDataset`` in batches, optionally shuffled, reproducibly.
///
/// Each pass (`for batch in loader`) is one epoch. With `shuffle`, epoch *e* visits the examples in a
/// permutation determined by `seed` and *e* alone: passes differ from each other, and a new loader with
/// the same seed repeats them. ``epoch`` is the epoch the next pass produces; set it to resume training
/// from a checkpoint with the same order.
///
/// ```swift
/// let loader = try DataLoader(TensorDataset(x: x, y: y), batchSize: 64, shuffle: true, seed: 42)
/// for epoch in 0..<10 {
///     for (xb, yb) in loader { ... }     // a different order each epoch
/// }
/// ```
///
/// A loader is a reference type because iterating advances its epoch counter; use it from one task.
public final class DataLoader<Source: IndexedDataset>: Sequence {
    /// The examples.
    public let dataset: Source
    /// The number of examples per batch (the last batch may be smaller unless ``dropLast``).
    public let batchSize: Int
    /// Whether each epoch visits the examples in a new random order.
    public let shuffle: Bool
    /// Whether to leave out a final batch smaller than ``batchSize``.
    public let dropLast: Bool
    /// The seed of the shuffling.
    public let seed: UInt64
    /// The epoch that the next call to ``makeIterator()`` produces.
    public var epoch: Int

    /// Creates a loader.
    ///
    /// - Throws: ``DatasetError/invalidBatchSize(_:)`` when `batchSize` < 1.
    public init(_ dataset: Source, batchSize: Int = 32, shuffle: Bool = false, dropLast: Bool = false,
                seed: UInt64 = 0, startEpoch: Int = 0) throws {
        guard batchSize >= 1 else { throw DatasetError.invalidBatchSize(batchSize) }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
        self.epoch = startEpoch
    }

    /// Number of batches in one epoch.
    public var batchCount: Int {
        let n = dataset.count
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize
    }

    /// The order in which epoch `epoch` visits the examples.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<dataset.count) }
        var generator = ShuffleGenerator(seed: seed, stream: UInt64(bitPattern: Int64(epoch)) &+ 1)
        return generator.permutation(dataset.count)
    }

    /// The batches of the next epoch; advances ``epoch``.
    public func makeIterator() -> Iterator {
        defer { epoch += 1 }
        return batches(epoch: epoch)
    }

    /// The batches of a given epoch, without touching ``epoch``.
    public func batches(epoch: Int) -> Iterator {
        Iterator(dataset: dataset, order: order(epoch: epoch), batchSize: batchSize, batchCount: batchCount)
    }

    /// The number of batches, for `Sequence` consumers that reserve capacity.
    public var underestimatedCount: Int { batchCount }

    /// Produces the batches of one epoch.
    public struct Iterator: IteratorProtocol, Sequence {
        private let dataset: Source
        private let order: [Int]
        private let batchSize: Int
        private let batchCount: Int
        private var position = 0

        init(dataset: Source, order: [Int], batchSize: Int, batchCount: Int) {
            self.dataset = dataset
            self.order = order
            self.batchSize = batchSize
            self.batchCount = batchCount
        }

        /// The next batch, or nil at the end of the epoch.
        public mutating func next() -> (x: Tensor, y: Tensor)? {
            guard position < batchCount else { return nil }
            let start = position * batchSize
            let end = Swift.min(start + batchSize, order.count)
            position += 1
            return dataset.batch(at: Array(order[start..<end]))
        }
    }
}
