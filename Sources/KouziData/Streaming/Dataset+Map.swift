import KouziTensor

extension Dataset {
    /// Each element transformed by `transform`, on the thread that asks for it.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T) -> Dataset<T> {
        mapIndexed(parallelism: 1) { element, _, _ in try transform(element) }
    }

    /// Each element transformed by `transform` on `parallelism` worker threads, in the original order.
    ///
    /// Results come out in upstream order whatever finishes first, so the output does not depend on the
    /// number of threads. Up to `2 × parallelism` elements are in flight or waiting to be taken; workers
    /// wait when the consumer falls behind. A `parallelism` of 1 (or less) runs `transform` on the
    /// consumer's thread, as ``map(_:)`` does.
    ///
    /// ```swift
    /// let images = Dataset.files(in: "photos", extensions: ["ppm"]).map(parallelism: 4) { try decode($0) }
    /// ```
    public func map<T: Sendable>(parallelism: Int, _ transform: @escaping @Sendable (Element) throws -> T) -> Dataset<T> {
        mapIndexed(parallelism: parallelism) { element, _, _ in try transform(element) }
    }

    /// Each element transformed by `transform` with a random generator of its own, for augmentation
    /// that is reproducible whatever the thread count.
    ///
    /// The generator of an element is seeded from (`seed`, epoch, the element's position in the epoch),
    /// so an element gets the same random numbers on any number of threads, and different ones in
    /// another epoch.
    ///
    /// ```swift
    /// let augmented = data.map(seed: 7, parallelism: 4) { example, rng in
    ///     var example = example
    ///     if rng.nextUnitFloat() < 0.5 { example.inputs[0] = flipHorizontally(example.inputs[0]) }
    ///     return example
    /// }
    /// ```
    public func map<T: Sendable>(seed: UInt64, parallelism: Int = 1,
                                 _ transform: @escaping @Sendable (Element, inout SeededGenerator) throws -> T) -> Dataset<T> {
        mapIndexed(parallelism: parallelism) { element, index, epoch in
            var generator = SeededGenerator(seed: elementSeed(seed, epoch: epoch, index: index))
            return try transform(element, &generator)
        }
    }

    /// Applies `transform(element, position in the epoch, epoch)`, on worker threads when
    /// `parallelism` > 1.
    private func mapIndexed<T: Sendable>(parallelism: Int,
                                         _ transform: @escaping @Sendable (Element, Int, Int) throws -> T) -> Dataset<T> {
        Dataset<T>(count: count) { epoch in
            let upstream = makeIterator(epoch: epoch)
            guard parallelism > 1 else {
                var index = 0
                return DatasetIterator {
                    guard let element = try upstream.next() else { return nil }
                    defer { index += 1 }
                    return try transform(element, index, epoch)
                }
            }
            return OrderedWorkers.iterator(upstream, workers: parallelism, window: 2 * parallelism,
                                           name: "kouzi-data-map") { element, index in
                try transform(element, index, epoch)
            }
        }
    }

    /// The same elements, produced up to `depth` ahead of the consumer on a background thread, so that
    /// reading and transforming overlap with the consumer's work. A `depth` below 1 leaves the data set
    /// as it is.
    public func prefetched(_ depth: Int) -> Dataset<Element> {
        guard depth >= 1 else { return self }
        return Dataset(count: count) { epoch in
            OrderedWorkers.iterator(makeIterator(epoch: epoch), workers: 1, window: depth,
                                    name: "kouzi-data-prefetch") { element, _ in element }
        }
    }
}

/// The seed of the generator of element `index` of `epoch`: two SplitMix64 steps, the first keyed by
/// the epoch and the second by the index, so neighbouring indices and epochs get unrelated streams.
func elementSeed(_ seed: UInt64, epoch: Int, index: Int) -> UInt64 {
    var perEpoch = ShuffleGenerator(seed: seed, stream: UInt64(bitPattern: Int64(epoch)))
    var perElement = ShuffleGenerator(seed: perEpoch.next(), stream: UInt64(bitPattern: Int64(index)))
    return perElement.next()
}
