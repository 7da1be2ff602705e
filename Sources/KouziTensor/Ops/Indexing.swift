extension Tensor {
    /// Selects entries along `axis` by integer `indices` (any shape); the result replaces dimension
    /// `axis` with the shape of `indices`. Gradients are scattered back (summed over repeats).
    ///
    /// - Precondition: every index lies in `0..<shape[axis]`; validate outside data with ``validateIndices(_:axis:)``.
    public func gather(_ indices: Tensor, axis: Int = 0) -> Tensor {
        guard let a = Shape.normalize(axis: axis, rank: rank), rank > 0 else {
            preconditionFailure("gather: axis \(axis) out of range for shape \(shape)")
        }
        let idx = indices.intScalars
        let n = shape[a]
        if let bad = idx.first(where: { $0 < 0 || $0 >= n }) {
            preconditionFailure("gather: index \(bad) out of range for dimension \(a) of size \(n)")
        }
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        let outShape = Array(shape[..<a]) + indices.shape + Array(shape[(a + 1)...])
        let out = Tensor(uninitializedShape: outShape, dtype: dtype)
        let bytes = dtype.byteSize, row = inner * bytes
        for o in 0..<outer {
            for (j, i) in idx.enumerated() {
                (out.storage.raw + (o * idx.count + j) * row).copyMemory(from: storage.raw + (o * n + i) * row, byteCount: row)
            }
        }
        let inShape = shape
        return Tensor.record(out, op: "gather", inputs: [self]) { g in
            let full = Tensor.zeros(inShape)
            let f = full.storage.floats, gp = g.storage.floats
            for o in 0..<outer {
                for (j, i) in idx.enumerated() {
                    let dst = f + (o * n + i) * inner, src = gp + (o * idx.count + j) * inner
                    zipFloats(inner, dst, src, dst, { $0 + $1 }, { $0 + $1 })
                }
            }
            return [full]
        }
    }

    /// Selects rows (entries along axis 0).
    public func rows(_ indices: [Int]) -> Tensor {
        gather(Tensor(shape: [indices.count], values: indices.map { Int64($0) }), axis: 0)
    }

    /// Throws unless every index is in `0..<shape[axis]`.
    public func validateIndices(_ indices: Tensor, axis: Int = 0, operation: String = "gather") throws {
        guard let a = Shape.normalize(axis: axis, rank: rank), rank > 0 else {
            throw TensorError.invalidAxis(axis: axis, rank: rank)
        }
        if let bad = indices.intScalars.first(where: { $0 < 0 || $0 >= shape[a] }) {
            throw TensorError.indexOutOfRange(operation: operation, index: bad, size: shape[a])
        }
    }

    /// Picks one entry per row along the last axis: `result[i] = self[i, indices[i]]` for 2-D input.
    public func pick(_ indices: Tensor) -> Tensor {
        precondition(rank == 2 && indices.count == shape[0], "pick expects [N, C] and N indices, got \(shape) and \(indices.shape)")
        let idx = indices.intScalars, c = shape[1]
        let out = Tensor(uninitializedShape: [shape[0]])
        for (i, j) in idx.enumerated() {
            precondition(j >= 0 && j < c, "pick: index \(j) out of range for \(c) columns")
            out.storage.floats[i] = storage.floats[i * c + j]
        }
        let inShape = shape
        return Tensor.record(out, op: "pick", inputs: [self]) { g in
            let full = Tensor.zeros(inShape)
            for (i, j) in idx.enumerated() { full.storage.floats[i * c + j] = g.storage.floats[i] }
            return [full]
        }
    }

    /// One-hot encoding of integer class ids into a float tensor with a new last dimension.
    public static func oneHot(_ labels: Tensor, classes: Int) -> Tensor {
        let idx = labels.intScalars
        let out = Tensor.zeros(labels.shape + [classes])
        for (i, j) in idx.enumerated() {
            precondition(j >= 0 && j < classes, "oneHot: label \(j) out of range for \(classes) classes")
            out.storage.floats[i * classes + j] = 1
        }
        return out
    }
}
