extension Tensor {
    /// A copy with entries along `axis` replaced by `values` at `indices` (PyTorch's `scatter_`, without
    /// mutation): `result[i][indices[i][j][k]][k] = values[i][j][k]` for axis 1.
    ///
    /// `indices` has the rank of the tensor and sizes no larger than it off the axis; `values` has the
    /// same rank and sizes at least those of `indices` (only that leading block is read). Where several
    /// positions of `indices` name the same entry, the last one in row-major order wins, so the result
    /// is deterministic. Gradients: the tensor's flows everywhere except the replaced entries; each
    /// value's is the output gradient at the entry it wrote, or 0 when a later position overwrote it.
    ///
    /// - Precondition: the rules of ``validateIndices(_:alongAxis:values:)``, which checks outside data.
    public func scatter(axis: Int, indices: Tensor, values: Tensor) -> Tensor {
        let a = requireAlongAxis(indices, axis: axis, values: values, operation: "scatter")
        let idx = indices.intScalars
        let walk = AxisIndexWalk(indexShape: indices.shape, axis: a, target: shape, source: values.shape)
        let out = Tensor(shape: shape, storage: storage.copy())
        let bytes = dtype.byteSize, src = values.storage.raw, dst = out.storage.raw
        walk.forEach { p, t, s in Tensor.copyElement(bytes, from: src, s, to: dst, t + idx[p] * walk.axisStride) }
        let valueShape = values.shape, count = self.count
        return Tensor.record(out, op: "scatter", inputs: [self, values]) { g in
            let gBase = g.deepCopy(), gValues = Tensor.zeros(valueShape)
            let gp = g.storage.floats, bp = gBase.storage.floats, vp = gValues.storage.floats
            // Walking the positions in reverse, the first to reach an entry is the one whose value stayed.
            var written = [Bool](repeating: false, count: count)
            var targets: [(source: Int, target: Int)] = []
            walk.forEach { p, t, s in targets.append((s, t + idx[p] * walk.axisStride)) }
            for (s, t) in targets.reversed() where !written[t] {
                written[t] = true
                vp[s] = gp[t]
                bp[t] = 0
            }
            return [gBase, gValues]
        }
    }

    /// A copy with `values` added to the entries along `axis` at `indices` (PyTorch's `scatter_add_`,
    /// without mutation): `result[i][indices[i][j][k]][k] += values[i][j][k]` for axis 1. Entries named
    /// several times receive the sum. Same shape rules as ``scatter(axis:indices:values:)``; works for
    /// float32, int32 and int64.
    ///
    /// Gradients: the tensor's is the output gradient; each value's is the output gradient at its entry.
    ///
    /// - Precondition: the rules of ``validateIndices(_:alongAxis:values:)``, which checks outside data.
    public func scatterAdd(axis: Int, indices: Tensor, values: Tensor) -> Tensor {
        let a = requireAlongAxis(indices, axis: axis, values: values, operation: "scatterAdd")
        let idx = indices.intScalars
        let walk = AxisIndexWalk(indexShape: indices.shape, axis: a, target: shape, source: values.shape)
        let out = Tensor(shape: shape, storage: storage.copy())
        switch dtype {
        case .float32: Tensor.addAlong(walk, idx, values.storage.pointer(Float.self), out.storage.pointer(Float.self))
        case .int32: Tensor.addAlong(walk, idx, values.storage.pointer(Int32.self), out.storage.pointer(Int32.self))
        case .int64: Tensor.addAlong(walk, idx, values.storage.pointer(Int64.self), out.storage.pointer(Int64.self))
        }
        let valueShape = values.shape
        return Tensor.record(out, op: "scatterAdd", inputs: [self, values]) { g in
            let gValues = Tensor.zeros(valueShape)
            let gp = g.storage.floats, vp = gValues.storage.floats
            walk.forEach { p, t, s in vp[s] = gp[t + idx[p] * walk.axisStride] }
            return [g, gValues]
        }
    }

    private static func addAlong<T: TensorScalar>(_ walk: AxisIndexWalk, _ idx: [Int], _ src: UnsafeMutablePointer<T>,
                                                  _ dst: UnsafeMutablePointer<T>) {
        walk.forEach { p, t, s in dst[t + idx[p] * walk.axisStride] += src[s] }
    }
}
