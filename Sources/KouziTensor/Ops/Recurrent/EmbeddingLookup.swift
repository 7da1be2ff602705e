extension Tensor {
    /// Looks up rows of `table` (`[vocabulary, features]`) for integer `ids` of any shape; the result
    /// has shape `ids.shape + [features]`.
    ///
    /// The backward pass scatter-adds the output gradient into a gradient of the table's shape (rows
    /// that occur several times receive the sum). The row `paddingIndex`, when given, receives no
    /// gradient, as PyTorch's `padding_idx` does. `ids` may be int64, int32 or float32 holding whole
    /// numbers. Cost: one row copy per id forward, one row addition per id backward.
    ///
    /// - Precondition: every id lies in `0..<table.shape[0]`; layers validate outside data first.
    public static func embeddingLookup(_ table: Tensor, ids: Tensor, paddingIndex: Int? = nil) -> Tensor {
        precondition(table.rank == 2 && table.dtype == .float32,
                     "embeddingLookup: table must be a [vocabulary, features] float32 tensor, got \(table.shape)")
        let vocabulary = table.shape[0], width = table.shape[1]
        let idx = ids.intScalars
        let out = Tensor(uninitializedShape: ids.shape + [width])
        let src = table.storage.floats, dst = out.storage.floats
        for (j, i) in idx.enumerated() {
            precondition(i >= 0 && i < vocabulary, "embeddingLookup: id \(i) out of range for \(vocabulary) rows")
            (dst + j * width).update(from: src + i * width, count: width)
        }
        return Tensor.record(out, op: "embedding", inputs: [table]) { g in
            let grad = Tensor.zeros([vocabulary, width])
            let gp = g.storage.floats, dp = grad.storage.floats
            for (j, i) in idx.enumerated() where i != paddingIndex {
                let row = dp + i * width, from = gp + j * width
                zipFloats(width, row, from, row, { $0 + $1 }, { $0 + $1 })
            }
            return [grad]
        }
    }
}
