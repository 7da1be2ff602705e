import KouziTensor

extension Dataset {
    /// Consecutive elements grouped in arrays of `size`; the last group of an epoch may be smaller,
    /// unless `dropRemainder` leaves it out.
    public func chunked(_ size: Int, dropRemainder: Bool = false) -> Dataset<[Element]> {
        guard size >= 1 else { return .failing(DatasetError.invalidBatchSize(size)) }
        let total = count.map { dropRemainder ? $0 / size : ($0 + size - 1) / size }
        return Dataset<[Element]>(count: total) { epoch in
            let upstream = makeIterator(epoch: epoch)
            return DatasetIterator {
                var group: [Element] = []
                group.reserveCapacity(Swift.min(size, 4096))
                while group.count < size, let element = try upstream.next() { group.append(element) }
                return group.isEmpty || (dropRemainder && group.count < size) ? nil : group
            }
        }
    }
}

extension Dataset where Element == Example {
    /// Batches of `size` examples, each tensor stacked along a new first axis (see
    /// ``Batch/init(stacking:)``); the last batch may be smaller unless `dropRemainder`.
    ///
    /// Examples of a batch must agree in shape and type slot by slot; a mismatch surfaces from
    /// ``DatasetIterator/next()`` naming the slot, the position in the batch and both shapes.
    public func batched(_ size: Int, dropRemainder: Bool = false) -> Dataset<Batch> {
        chunked(size, dropRemainder: dropRemainder).map { try Batch(stacking: $0) }
    }

    /// Batches of `size` ragged examples, each tensor padded with `padValue` to the largest in its
    /// slot (see ``Batch/init(padding:padValue:toMultipleOf:)``), input lengths rounded up to a
    /// multiple of `toMultipleOf`.
    ///
    /// ```swift
    /// let batches = sentences.paddedBatch(32, padValue: 0, toMultipleOf: 8)   // token ids [32, L], L % 8 == 0
    /// ```
    public func paddedBatch(_ size: Int, padValue: Float = 0, toMultipleOf multiple: Int = 1,
                            dropRemainder: Bool = false) -> Dataset<Batch> {
        chunked(size, dropRemainder: dropRemainder).map {
            try Batch(padding: $0, padValue: padValue, toMultipleOf: multiple)
        }
    }

    /// Padded batches of examples of similar length: bucket `b` collects the examples whose length lies
    /// in `boundaries[b - 1] ..< boundaries[b]` (the first bucket everything below `boundaries[0]`, the
    /// last everything from `boundaries.last`) and emits a padded batch each time it holds
    /// `batchSizes[b]` examples. At the end of an epoch the partial buckets are emitted in bucket order,
    /// unless `dropRemainder`.
    ///
    /// ```swift
    /// // short sentences in batches of 64, medium of 32, long of 16
    /// let batches = sentences.bucketed(boundaries: [16, 64], batchSizes: [64, 32, 16])
    /// ```
    ///
    /// - Parameters:
    ///   - length: an example's length; by default the first dimension of its first input.
    ///   - boundaries: strictly increasing lengths separating the buckets.
    ///   - batchSizes: one batch size per bucket, `boundaries.count + 1` of them.
    public func bucketed(byLength length: @escaping @Sendable (Example) throws -> Int = { $0.inputs.first?.shape.first ?? 0 },
                         boundaries: [Int], batchSizes: [Int], padValue: Float = 0, toMultipleOf multiple: Int = 1,
                         dropRemainder: Bool = false) -> Dataset<Batch> {
        if let problem = Self.bucketProblem(boundaries: boundaries, batchSizes: batchSizes) {
            return .failing(DatasetError.invalidArgument(problem))
        }
        return Dataset<Batch>(count: nil) { epoch in
            let upstream = makeIterator(epoch: epoch)
            var buckets = [[Example]](repeating: [], count: batchSizes.count)
            var flushed = 0
            func emit(_ bucket: Int) throws -> Batch {
                defer { buckets[bucket] = [] }
                return try Batch(padding: buckets[bucket], padValue: padValue, toMultipleOf: multiple)
            }
            return DatasetIterator {
                while flushed == 0, let example = try upstream.next() {
                    let size = try length(example)
                    let bucket = boundaries.firstIndex { size < $0 } ?? boundaries.count
                    buckets[bucket].append(example)
                    if buckets[bucket].count == batchSizes[bucket] { return try emit(bucket) }
                }
                while flushed < buckets.count {
                    flushed += 1
                    if !dropRemainder && !buckets[flushed - 1].isEmpty { return try emit(flushed - 1) }
                }
                return nil
            }
        }
    }

    private static func bucketProblem(boundaries: [Int], batchSizes: [Int]) -> String? {
        if batchSizes.count != boundaries.count + 1 {
            return "bucketing needs one batch size per bucket: \(boundaries.count) boundaries make "
                + "\(boundaries.count + 1) buckets but \(batchSizes.count) batch sizes were given"
        }
        if let bad = zip(boundaries, boundaries.dropFirst()).first(where: { $0 >= $1 }) {
            return "bucket boundaries must increase strictly, got \(bad.0) then \(bad.1) in \(boundaries)"
        }
        if let bad = batchSizes.first(where: { $0 < 1 }) {
            return "bucket batch sizes must be at least 1, got \(bad) in \(batchSizes)"
        }
        return nil
    }
}
