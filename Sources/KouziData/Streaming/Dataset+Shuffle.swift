import KouziBase
extension Dataset {
    /// The elements in a random order drawn through a shuffle buffer, reshuffled every epoch.
    ///
    /// The buffer holds `buffer` elements; each step hands out one of them at random and refills its
    /// place from upstream. A buffer at least as large as the data set gives a uniform shuffle; a
    /// smaller one keeps memory bounded and mixes elements within about `buffer` positions. The order
    /// depends on `seed` and the epoch alone: the same seed repeats it, another epoch changes it.
    ///
    /// ```swift
    /// let shuffled = Dataset.lines(ofFile: "corpus.txt").shuffled(buffer: 100_000, seed: 42)
    /// ```
    public func shuffled(buffer size: Int, seed: UInt64) -> Dataset<Element> {
        guard size >= 1 else {
            return .failing(DatasetError.invalidArgument("a shuffle buffer must hold at least 1 element, got \(size)"))
        }
        return Dataset(count: count) { epoch in
            let upstream = makeIterator(epoch: epoch)
            var generator = ShuffleGenerator(seed: seed, stream: UInt64(bitPattern: Int64(epoch)) &+ 1)
            var buffer: [Element] = []
            var exhausted = false
            return DatasetIterator {
                while !exhausted && buffer.count < size {
                    if let element = try upstream.next() { buffer.append(element) } else { exhausted = true }
                }
                guard !buffer.isEmpty else { return nil }
                buffer.swapAt(generator.below(buffer.count), buffer.count - 1)
                return buffer.removeLast()
            }
        }
    }
}
