extension Tensor {
    /// Raw (batched) product `op(a) · op(b)` with no autograd.
    ///
    /// `a` is `[batch…, m, k]` (or `[batch…, k, m]` when `transA`); `b` is either 2-D (shared by every
    /// batch entry) or has the same batch dimensions as `a`.
    static func gemmRaw(_ a: Tensor, _ b: Tensor, transA: Bool = false, transB: Bool = false) -> Tensor {
        precondition(a.dtype == .float32 && b.dtype == .float32, "matmul expects float32 tensors")
        precondition(a.rank >= 2 && b.rank >= 2, "matmul expects tensors of rank ≥ 2, got \(a.shape) and \(b.shape)")
        let ar = a.shape[a.rank - 2], ac = a.shape[a.rank - 1]
        let br = b.shape[b.rank - 2], bc = b.shape[b.rank - 1]
        let (m, k) = transA ? (ac, ar) : (ar, ac)
        let (kb, n) = transB ? (bc, br) : (br, bc)
        precondition(k == kb, "matmul: inner dimensions differ: \(a.shape)\(transA ? "ᵀ" : "") × \(b.shape)\(transB ? "ᵀ" : "")")
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        let backend = a.device.backend
        if b.rank == 2 && !transA {
            // Fold the batch into the rows: one large GEMM.
            let rows = a.count / k
            let out = Tensor(uninitializedShape: batchA + [m, n])
            backend.gemm(transA: false, transB: transB, m: rows, n: n, k: k, alpha: 1,
                         a: a.storage.floats, lda: k, b: b.storage.floats, ldb: bc, beta: 0,
                         c: out.storage.floats, ldc: n)
            return out
        }
        precondition(batchB.isEmpty || batchA == batchB, "matmul: batch dimensions differ: \(a.shape) × \(b.shape)")
        let batch = batchA.reduce(1, *)
        let out = Tensor(uninitializedShape: batchA + [m, n])
        let strideB = batchB.isEmpty ? 0 : br * bc
        for i in 0..<batch {
            backend.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
                         a: a.storage.floats + i * ar * ac, lda: ac, b: b.storage.floats + i * strideB, ldb: bc,
                         beta: 0, c: out.storage.floats + i * m * n, ldc: n)
        }
        return out
    }

    /// Matrix product over the last two dimensions, batched over leading ones.
    ///
    /// `other` may be 2-D (applied to every batch entry) or carry the same batch dimensions. The
    /// transpose flags use the operands' last two dimensions transposed without copying them
    /// (`q.matmul(k, transposeB: true)` is `q · kᵀ`).
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(!(transposeA && other.rank == 2 && rank > 2),
                     "matmul: transposeA needs a right operand with the same batch dimensions, got \(shape) × \(other.shape)")
        let out = Tensor.gemmRaw(self, other, transA: transposeA, transB: transposeB)
        let a = detached(), b = other.detached()
        let needA = requiresGrad, needB = other.requiresGrad
        return Tensor.record(out, op: "matmul", inputs: [self, other]) { g in
            // C = op(A)·op(B): dop(A) = G·op(B)ᵀ and dop(B) = op(A)ᵀ·G, then undo each op.
            var ga: Tensor? = nil, gb: Tensor? = nil
            if needA {
                ga = transposeA ? Tensor.gemmRaw(b, g, transA: transposeB, transB: true)
                                : Tensor.gemmRaw(g, b, transB: !transposeB)
            }
            if needB {
                if b.rank == 2 && a.rank > 2 {
                    // B is shared by every batch entry: fold the batch into the rows.
                    let ac = a.shape[a.rank - 1], n = g.shape[g.rank - 1]
                    let a2 = a.reshapedRaw([a.count / ac, ac]), g2 = g.reshapedRaw([g.count / n, n])
                    gb = transposeB ? Tensor.gemmRaw(g2, a2, transA: true) : Tensor.gemmRaw(a2, g2, transA: true)
                } else {
                    gb = transposeB ? Tensor.gemmRaw(g, a, transA: true, transB: transposeA)
                                    : Tensor.gemmRaw(a, g, transA: !transposeA)
                }
            }
            return [ga, gb]
        }
    }

    /// Fused affine map `x · weight + bias` over the last dimension of `x`.
    ///
    /// `weight` is `[in, out]`, `bias` is `[out]`. One GEMM writes on top of the broadcast bias.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let inF = weight.shape[0], outF = weight.shape[1]
        precondition(x.shape.last == inF, "linear: input shape \(x.shape) does not end in \(inF)")
        let rows = x.count / Swift.max(inF, 1)
        let out = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [outF])
        let o = out.storage.floats
        if let bias {
            for r in 0..<rows { (o + r * outF).update(from: bias.storage.floats, count: outF) }
        }
        x.device.backend.gemm(transA: false, transB: false, m: rows, n: outF, k: inF, alpha: 1,
                              a: x.storage.floats, lda: inF, b: weight.storage.floats, ldb: outF,
                              beta: bias == nil ? 0 : 1, c: o, ldc: outF)
        let dx = x.detached(), dw = weight.detached()
        let needX = x.requiresGrad, needW = weight.requiresGrad, needB = bias?.requiresGrad ?? false
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        return record(out, op: "linear", inputs: inputs) { g in
            let g2 = g.reshapedRaw([rows, outF])
            let gx = needX ? Tensor.gemmRaw(g, dw, transB: true) : nil
            let gw = needW ? Tensor.gemmRaw(dx.reshapedRaw([rows, inF]), g2, transA: true) : nil
            let gb = needB ? g2.sumKernel(axes: [0]).reshapedRaw([outF]) : nil
            return [gx, gw, gb]
        }
    }
}
