/// A lazy, re-iterable pipeline of elements; each epoch is a fresh pass.
///
/// A data set describes how to produce its elements; nothing is read or computed until an iterator
/// asks for an element, and only what the stages buffer is held in memory, so a pipeline can stream a
/// data set far larger than memory. Sources read arrays, tensors, generators, text lines, CSV records
/// or files; stages map (on worker threads, in order), filter, shuffle, batch, pad, bucket, prefetch,
/// take, skip and repeat. Each epoch starts a fresh pass; with the same seeds, an epoch gives the same
/// elements for any parallelism and prefetch depth, and different epochs shuffle differently.
///
/// ```swift
/// let train = try Dataset.tensorSlices(inputs: [images], targets: [labels])
///     .map(seed: 7, parallelism: 4) { example, rng in augment(example, &rng) }
///     .shuffled(buffer: 10_000, seed: 42)
///     .batched(64)
///     .prefetched(2)
/// for epoch in 0..<10 {
///     let batches = train.makeIterator(epoch: epoch)
///     while let batch = try batches.next() { step(batch.inputs[0], batch.targets[0]) }
/// }
/// ```
public struct Dataset<Element: Sendable>: Sendable {
    /// Elements per epoch when known (nil after a `filter`, for files read line by line, …).
    public var count: Int?
    private let iterate: @Sendable (_ epoch: Int) -> DatasetIterator<Element>

    /// A data set whose epochs come from `iterate`.
    init(count: Int?, iterators iterate: @escaping @Sendable (_ epoch: Int) -> DatasetIterator<Element>) {
        self.count = count
        self.iterate = iterate
    }

    /// A custom source: `makeNext(epoch)` returns the function that produces that epoch's elements one
    /// by one, returning nil at the end.
    ///
    /// ```swift
    /// let countdown = Dataset<Int>(count: 3) { _ in
    ///     var n = 3
    ///     return { guard n > 0 else { return nil }; n -= 1; return n }     // 2, 1, 0
    /// }
    /// ```
    public init(count: Int? = nil, makeNext: @escaping @Sendable (_ epoch: Int) -> () throws -> Element?) {
        self.init(count: count) { epoch in DatasetIterator(makeNext(epoch)) }
    }

    /// A fresh pass over the elements of `epoch` (epochs count from 0 and seed the random stages).
    public func makeIterator(epoch: Int) -> DatasetIterator<Element> {
        iterate(epoch)
    }

    /// All elements of one epoch, in order (for small data sets and tests).
    public func elements(epoch: Int = 0) throws -> [Element] {
        let iterator = makeIterator(epoch: epoch)
        var result: [Element] = []
        while let element = try iterator.next() { result.append(element) }
        return result
    }

    /// Calls `body` with each element of one epoch, in order.
    public func forEach(epoch: Int = 0, _ body: (Element) throws -> Void) throws {
        let iterator = makeIterator(epoch: epoch)
        while let element = try iterator.next() { try body(element) }
    }

    /// A data set whose iterators throw `error` on their first ``DatasetIterator/next()`` (the way
    /// stages report invalid arguments, since building a pipeline does not throw).
    static func failing(_ error: any Error) -> Dataset {
        Dataset(count: nil) { _ in DatasetIterator { throw error } }
    }
}
