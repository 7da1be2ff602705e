import KouziTensor

extension Dataset {
    /// The elements of an array, in order.
    public init(_ elements: [Element]) {
        self.init(count: elements.count) { i in elements[i] }
    }

    /// `count` elements made on the fly: element `i` is `generate(i)`, called when it is needed, so
    /// synthetic data sets can be far larger than memory.
    ///
    /// ```swift
    /// let noise = Dataset(count: 1_000_000) { i in Example(inputs: [Tensor.randomNormal([4096], seed: UInt64(i))]) }
    /// ```
    public init(count: Int, _ generate: @escaping @Sendable (_ index: Int) throws -> Element) {
        let count = Swift.max(count, 0)
        self.init(count: count) { _ in
            var index = 0
            return DatasetIterator {
                guard index < count else { return nil }
                defer { index += 1 }
                return try generate(index)
            }
        }
    }
}

extension Dataset where Element == Example {
    /// The examples of in-memory tensors sliced along their first axis: example `i` holds row `i` of
    /// each tensor (without the leading axis).
    ///
    /// ```swift
    /// let data = try Dataset.tensorSlices(inputs: [images], targets: [labels])   // [N, 28, 28, 1], [N]
    /// ```
    ///
    /// - Throws: ``DatasetError/scalarTensor(name:)`` for a scalar, ``DatasetError/sliceCountMismatch(name:shape:reference:referenceShape:)``
    ///   when first dimensions differ (naming both tensors and shapes), ``DatasetError/invalidArgument(_:)``
    ///   when no tensor is given.
    public static func tensorSlices(inputs: [Tensor], targets: [Tensor] = [],
                                    extras: [String: Tensor] = [:]) throws -> Dataset<Example> {
        let named = inputs.enumerated().map { ("inputs[\($0)]", $1) } + targets.enumerated().map { ("targets[\($0)]", $1) }
            + extras.sorted { $0.key < $1.key }.map { ("extras[\"\($0.key)\"]", $0.value) }
        guard let (referenceName, reference) = named.first else {
            throw DatasetError.invalidArgument("tensorSlices needs at least one tensor")
        }
        for (name, tensor) in named {
            guard tensor.rank >= 1 else { throw DatasetError.scalarTensor(name: name) }
            guard tensor.shape[0] == reference.shape[0] else {
                throw DatasetError.sliceCountMismatch(name: name, shape: tensor.shape, reference: referenceName,
                                                      referenceShape: reference.shape)
            }
        }
        @Sendable func row(_ tensor: Tensor, _ i: Int) -> Tensor { RowGather.rows(of: tensor, at: [i], dropLeadingDimension: true) }
        return Dataset(count: reference.shape[0]) { i in
            Example(inputs: inputs.map { row($0, i) }, targets: targets.map { row($0, i) },
                    extras: extras.mapValues { row($0, i) })
        }
    }

    /// The examples of a random-access data set, in index order: `x` becomes the single input and `y`
    /// the single target.
    public init(_ indexed: some IndexedDataset) {
        self.init(count: indexed.count) { i in
            let (x, y) = indexed[i]
            return Example(inputs: [x], targets: [y])
        }
    }
}
