extension Tensor {
    /// Normalised, sorted, unique axes; all axes when `axes` is nil.
    func resolveAxes(_ axes: [Int]?, op: String) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        var result = Set<Int>()
        for a in axes {
            guard let n = Shape.normalize(axis: a, rank: rank), rank > 0 else {
                preconditionFailure("\(op): axis \(a) is out of range for shape \(shape)")
            }
            result.insert(n)
        }
        return result.sorted()
    }

    /// Shape after reducing `axes` (kept as size-1 dimensions).
    func keptShape(reducing axes: [Int]) -> [Int] {
        var s = shape
        for a in axes { s[a] = 1 }
        return s
    }

    /// Raw sum over `axes`, keeping reduced dimensions as 1. No autograd.
    func sumKernel(axes: [Int]) -> Tensor {
        let outShape = keptShape(reducing: axes)
        let out = Tensor.zeros(outShape)
        let o = out.storage.floats, p = storage.floats
        if axes.isEmpty { o.update(from: p, count: count); return out }
        if axes.count == rank { o[0] = sumFloats(count, p); return out }
        let inner = shape[rank - 1]
        let outStrides = Shape.broadcastStrides(outShape, to: shape)
        let lastReduced = axes.last == rank - 1
        forEachRow(shape: shape, strides: outStrides, outStrides) { io, oo, _ in
            if lastReduced {
                o[oo] += sumFloats(inner, p + io)
            } else {
                zipFloats(inner, o + oo, p + io, o + oo, { $0 + $1 }, { $0 + $1 })
            }
        }
        return out
    }

    /// Raw max (or min) over `axes`, keeping reduced dimensions. No autograd.
    func extremumKernel(axes: [Int], max isMax: Bool) -> Tensor {
        let outShape = keptShape(reducing: axes)
        let out = Tensor.full(outShape, isMax ? -.infinity : .infinity)
        let o = out.storage.floats, p = storage.floats
        if count == 0 { return out }
        let inner = rank == 0 ? 1 : shape[rank - 1]
        let outStrides = Shape.broadcastStrides(outShape, to: shape)
        let lastReduced = rank > 0 && axes.last == rank - 1
        forEachRow(shape: shape, strides: outStrides, outStrides) { io, oo, _ in
            if lastReduced {
                var m = o[oo]
                if isMax { for i in 0..<inner where p[io + i] > m || p[io + i].isNaN { m = p[io + i] } }
                else { for i in 0..<inner where p[io + i] < m || p[io + i].isNaN { m = p[io + i] } }
                o[oo] = m
            } else if isMax {
                zipFloats(inner, o + oo, p + io, o + oo, { $0.replacing(with: $1, where: $1 .> $0) }, { $1 > $0 ? $1 : $0 })
            } else {
                zipFloats(inner, o + oo, p + io, o + oo, { $0.replacing(with: $1, where: $1 .< $0) }, { $1 < $0 ? $1 : $0 })
            }
        }
        return out
    }

    /// Raw permutation of dimensions into a new contiguous tensor. No autograd.
    func permuteKernel(_ perm: [Int]) -> Tensor {
        let outShape = perm.map { shape[$0] }
        let out = Tensor(uninitializedShape: outShape, dtype: dtype)
        let inStrides = Shape.strides(shape)
        let srcStrides = perm.map { inStrides[$0] }
        let inner = outShape.last ?? 1
        let step = srcStrides.last ?? 1
        let bytes = dtype.byteSize
        let src = storage.raw, dst = out.storage.raw
        if rank == 2 && perm == [1, 0] && dtype == .float32 {
            transpose2D(storage.floats, out.storage.floats, rows: shape[0], cols: shape[1])
            return out
        }
        forEachRow(shape: outShape, strides: srcStrides, srcStrides) { oo, so, _ in
            if bytes == 4 {
                let s = (src + so * 4).assumingMemoryBound(to: UInt32.self)
                let d = (dst + oo * 4).assumingMemoryBound(to: UInt32.self)
                for i in 0..<inner { d[i] = s[i * step] }
            } else {
                let s = (src + so * 8).assumingMemoryBound(to: UInt64.self)
                let d = (dst + oo * 8).assumingMemoryBound(to: UInt64.self)
                for i in 0..<inner { d[i] = s[i * step] }
            }
        }
        return out
    }
}

/// Cache-blocked 2-D transpose: `dst[c, r] = src[r, c]`.
func transpose2D(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
    let block = 32
    var r0 = 0
    while r0 < rows {
        let r1 = min(r0 + block, rows)
        var c0 = 0
        while c0 < cols {
            let c1 = min(c0 + block, cols)
            for r in r0..<r1 {
                for c in c0..<c1 { dst[c * rows + r] = src[r * cols + c] }
            }
            c0 = c1
        }
        r0 = r1
    }
}
