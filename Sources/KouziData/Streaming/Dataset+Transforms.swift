extension Dataset {
    /// The elements for which `isIncluded` returns true.
    public func filter(_ isIncluded: @escaping @Sendable (Element) throws -> Bool) -> Dataset<Element> {
        Dataset(count: nil) { epoch in
            let upstream = makeIterator(epoch: epoch)
            return DatasetIterator {
                while let element = try upstream.next() {
                    if try isIncluded(element) { return element }
                }
                return nil
            }
        }
    }

    /// The first `n` elements of each epoch (all of them when there are fewer).
    public func take(_ n: Int) -> Dataset<Element> {
        let n = Swift.max(n, 0)
        return Dataset(count: count.map { Swift.min($0, n) }) { epoch in
            var taken = 0
            var upstream: DatasetIterator<Element>?
            return DatasetIterator {
                guard taken < n else { return nil }
                if upstream == nil { upstream = makeIterator(epoch: epoch) }
                guard let element = try upstream?.next() else { return nil }
                taken += 1
                return element
            }
        }
    }

    /// Each epoch without its first `n` elements.
    public func skip(_ n: Int) -> Dataset<Element> {
        Dataset(count: count.map { Swift.max($0 - Swift.max(n, 0), 0) }) { epoch in
            let upstream = makeIterator(epoch: epoch)
            var skipped = false
            return DatasetIterator {
                if !skipped {
                    skipped = true
                    for _ in 0..<Swift.max(n, 0) {
                        guard try upstream.next() != nil else { return nil }
                    }
                }
                return try upstream.next()
            }
        }
    }

    /// The elements repeated `times` times per epoch, or endlessly when `times` is nil.
    ///
    /// Each repetition is a fresh pass with its own epoch number, so shuffles upstream differ between
    /// repetitions: with `times`, epoch `e` runs upstream epochs `e * times ..< (e + 1) * times`; an
    /// endless repetition of epoch `e` runs upstream epochs `e * 2³² + 0, 1, 2, …`. An endless
    /// repetition of a pass that yields nothing ends instead of spinning.
    public func repeated(_ times: Int? = nil) -> Dataset<Element> {
        if let times, times < 0 {
            return .failing(DatasetError.invalidArgument("repeat count must not be negative, got \(times)"))
        }
        let total: Int? = if let times { count.map { $0 * times } } else { count == 0 ? 0 : nil }
        return Dataset(count: total) { epoch in
            var pass = 0
            var current: DatasetIterator<Element>?
            var yielded = false
            return DatasetIterator {
                while true {
                    if current == nil {
                        if let times, pass >= times { return nil }
                        let inner = if let times { epoch &* times &+ pass } else { epoch &* (1 << 32) &+ pass }
                        current = makeIterator(epoch: inner)
                        yielded = false
                    }
                    if let element = try current?.next() {
                        yielded = true
                        return element
                    }
                    current = nil
                    pass += 1
                    if times == nil && !yielded { return nil }
                }
            }
        }
    }
}
