import KouziTensor

/// A finite, random-access collection of `(x, y)` examples that can assemble batches.
///
/// Conform by providing ``count`` and ``batch(at:)``; ``subscript(_:)`` comes for free. ``DataLoader``
/// iterates one in batches; `Dataset(_:)` turns one into a streaming ``Dataset`` of ``Example``s.
/// Conformers are `Sendable` because streaming pipelines read them from worker threads.
public protocol IndexedDataset: Sendable {
    /// Number of examples.
    var count: Int { get }

    /// The examples at `indices`, stacked along a new first dimension.
    ///
    /// - Precondition: every index lies in `0..<count` (``DataLoader`` only passes valid indices).
    func batch(at indices: [Int]) -> (x: Tensor, y: Tensor)
}

extension IndexedDataset {
    /// One example, without the batch dimension.
    ///
    /// - Precondition: `index` lies in `0..<count`.
    public subscript(index: Int) -> (x: Tensor, y: Tensor) {
        precondition(index >= 0 && index < count, "example index \(index) is out of range for \(count) examples")
        let batch = batch(at: [index])
        return (RowGather.rows(of: batch.x, at: [0], dropLeadingDimension: true),
                RowGather.rows(of: batch.y, at: [0], dropLeadingDimension: true))
    }
}

/// A dataset of in-memory tensors whose first dimension indexes the examples.
///
/// ```swift
/// let data = try TensorDataset(x: images, y: labels)    // [N, 784] and [N]
/// let (x, y) = data.batch(at: [0, 5, 9])                  // [3, 784] and [3]
/// ```
public struct TensorDataset: IndexedDataset {
    /// Features, `[N, ...]`.
    public let x: Tensor
    /// Targets, `[N, ...]`.
    public let y: Tensor

    /// Creates a dataset.
    ///
    /// - Throws: ``DatasetError/firstDimensionMismatch(xShape:yShape:)`` naming both shapes, or
    ///   ``DatasetError/scalarTensor(name:)``.
    public init(x: Tensor, y: Tensor) throws {
        guard x.rank >= 1 else { throw DatasetError.scalarTensor(name: "x") }
        guard y.rank >= 1 else { throw DatasetError.scalarTensor(name: "y") }
        guard x.shape[0] == y.shape[0] else { throw DatasetError.firstDimensionMismatch(xShape: x.shape, yShape: y.shape) }
        self.x = x
        self.y = y
    }

    /// Number of examples.
    public var count: Int { x.shape[0] }

    /// The rows at `indices`, copied row by row.
    public func batch(at indices: [Int]) -> (x: Tensor, y: Tensor) {
        (RowGather.rows(of: x, at: indices), RowGather.rows(of: y, at: indices))
    }

    /// A dataset of the examples at `indices`.
    ///
    /// - Throws: ``DatasetError/indexOutOfRange(index:count:)``.
    public func subset(_ indices: [Int]) throws -> TensorDataset {
        if let bad = indices.first(where: { $0 < 0 || $0 >= count }) {
            throw DatasetError.indexOutOfRange(index: bad, count: count)
        }
        let (bx, by) = batch(at: indices)
        return try TensorDataset(x: bx, y: by)
    }
}
