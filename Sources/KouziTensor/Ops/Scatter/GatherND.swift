extension Tensor {
    /// Picks slices by multi-dimensional indices (TensorFlow's `gather_nd`): the last dimension of
    /// `indices` (size k ≤ rank) holds coordinates into the first k dimensions, so the result has shape
    /// `indices.shape.dropLast() + shape[k...]`. Works for every dtype.
    ///
    /// The gradient is scatter-added back (slices picked several times receive the sum).
    ///
    /// - Precondition: `indices` has rank ≥ 1, k ≤ rank and every coordinate is in range; check
    ///   outside data with ``validateGatherND(_:)``.
    public func gatherND(_ indices: Tensor) -> Tensor {
        if let problem = gatherNDProblem(indices) {
            preconditionFailure("\(problem) (tensor shape \(shape), indices \(indices.shape))")
        }
        let k = indices.shape[indices.rank - 1]
        let idx = indices.intScalars
        let lead = Array(indices.shape.dropLast()), slice = shape[k...].reduce(1, *)
        let tuples = lead.reduce(1, *)
        let strides = Shape.strides(shape)
        let offsets = (0..<tuples).map { j in (0..<k).reduce(0) { $0 + idx[j * k + $1] * strides[$1] } }
        let out = Tensor(uninitializedShape: lead + Array(shape[k...]), dtype: dtype)
        let bytes = dtype.byteSize, row = slice * bytes
        for (j, offset) in offsets.enumerated() {
            (out.storage.raw + j * row).copyMemory(from: storage.raw + offset * bytes, byteCount: row)
        }
        let inShape = shape
        return Tensor.record(out, op: "gatherND", inputs: [self]) { g in
            let grad = Tensor.zeros(inShape)
            let gp = g.storage.floats, dp = grad.storage.floats
            for (j, offset) in offsets.enumerated() {
                let dst = dp + offset, src = gp + j * slice
                zipFloats(slice, dst, src, dst, { $0 + $1 }, { $0 + $1 })
            }
            return [grad]
        }
    }

    /// Throws unless `indices` can address this tensor in ``gatherND(_:)``, for outside data.
    public func validateGatherND(_ indices: Tensor) throws {
        if let problem = gatherNDProblem(indices) { throw problem }
    }

    private func gatherNDProblem(_ indices: Tensor) -> TensorError? {
        guard indices.rank >= 1, indices.shape[indices.rank - 1] <= rank else {
            return .shapeMismatch(operation: "gatherND indices", expected: "[..., k] with k <= \(rank)", got: indices.shape)
        }
        let k = indices.shape[indices.rank - 1]
        for (i, v) in indices.intScalars.enumerated() where v < 0 || v >= shape[i % k] {
            return .indexOutOfRange(operation: "gatherND", index: v, size: shape[i % k])
        }
        return nil
    }
}
