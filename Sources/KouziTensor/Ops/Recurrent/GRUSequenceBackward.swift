/// The backward rule of ``Tensor/gruSequence(_:kernel:recurrentKernel:bias:recurrentBias:initialHidden:mask:reverse:)``.
///
/// Per step (in reverse order of the forward pass) one loop turns the hidden-state gradient into the
/// gradients of the input-side pre-activations `dA = [dr, dz, dn]` and of the recurrent projection
/// `dR = [dr, dz, dn ⊙ r]`, then one small product `dR·Uᵀ` joins `dh ⊙ z` as the previous hidden-state
/// gradient. Afterwards: `dX = dA·Wᵀ`, `dW = Xᵀ·dA`, `dU = H₋₁ᵀ·dR`, and column sums for both biases.
func gruSequenceBackward(_ tape: GRUTape, _ grad: Tensor) -> [Tensor?] {
    let b = tape.batch, t = tape.steps, n = tape.inputSize, h = tape.units, g = 3 * h
    let backend = CPUBackend.shared
    let dA = Tensor(uninitializedShape: [b, t, g]), dR = Tensor(uninitializedShape: [b, t, g])
    let dh = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(b * h, 1))
    defer { dh.deallocate() }
    let gp = grad.storage.floats
    for r in 0..<b { (dh + r * h).update(from: gp + (r * (t + 1) + t) * h, count: h) }
    let recurrentT = transposedCopy(tape.recurrentKernel.storage.floats, rows: h, cols: g)
    let kernelT = transposedCopy(tape.kernel.storage.floats, rows: n, cols: g)
    defer { recurrentT.deallocate(); kernelT.deallocate() }
    let ap = tape.gates.storage.floats, rp = tape.recurrent.storage.floats, hb = tape.hiddenBefore.storage.floats
    let dap = dA.storage.floats, drp = dR.storage.floats
    let mask = tape.mask
    CPUBackend.parallel(recurrenceParts(batch: b)) { part in
        let (r0, r1) = recurrenceRows(part, batch: b)
        for s in 0..<t {
            let step = tape.reverse ? s : t - 1 - s
            var anyReal = false
            for r in r0..<r1 {
                let row = r * t + step
                if let m = mask, m[row] < 0.5 {
                    (dap + row * g).update(repeating: 0, count: g)
                    (drp + row * g).update(repeating: 0, count: g)
                    continue
                }
                anyReal = true
                let dy = gp + (r * (t + 1) + step) * h
                for j in 0..<h {
                    let rg = ap[row * g + j], zg = ap[row * g + h + j], ng = ap[row * g + 2 * h + j]
                    let dht = dh[r * h + j] + dy[j]
                    let dn = dht * (1 - zg) * (1 - ng * ng)
                    let dz = dht * (hb[row * h + j] - ng) * zg * (1 - zg)
                    let dr = dn * rp[row * g + 2 * h + j] * rg * (1 - rg)
                    dap[row * g + j] = dr; dap[row * g + h + j] = dz; dap[row * g + 2 * h + j] = dn
                    drp[row * g + j] = dr; drp[row * g + h + j] = dz; drp[row * g + 2 * h + j] = dn * rg
                    dh[r * h + j] = dht * zg
                }
            }
            if anyReal {
                CPUBackend.sgemm(false, false, r1 - r0, h, g, 1, drp + (r0 * t + step) * g, t * g, recurrentT, h,
                                 1, dh + r0 * h, h)
            }
        }
    }
    let dInput = Tensor.zeros([b, t, n]), dKernel = Tensor.zeros([n, g]), dRecurrent = Tensor.zeros([h, g])
    let rows = b * t
    if rows > 0 && n > 0 {
        backend.gemm(transA: false, transB: false, m: rows, n: n, k: g, alpha: 1, a: dap, lda: g,
                     b: kernelT, ldb: n, beta: 0, c: dInput.storage.floats, ldc: n)
        backend.gemm(transA: true, transB: false, m: n, n: g, k: rows, alpha: 1, a: tape.input.storage.floats,
                     lda: n, b: dap, ldb: g, beta: 0, c: dKernel.storage.floats, ldc: g)
    }
    if rows > 0 {
        backend.gemm(transA: true, transB: false, m: h, n: g, k: rows, alpha: 1, a: hb, lda: h, b: drp, ldb: g,
                     beta: 0, c: dRecurrent.storage.floats, ldc: g)
    }
    let dBias = Tensor.zeros([g]), dRecurrentBias = Tensor.zeros([g])
    let bp = dBias.storage.floats, rbp = dRecurrentBias.storage.floats
    for r in 0..<rows {
        zipFloats(g, bp, dap + r * g, bp, { $0 + $1 }, { $0 + $1 })
        zipFloats(g, rbp, drp + r * g, rbp, { $0 + $1 }, { $0 + $1 })
    }
    let dh0 = Tensor(shape: [b, h], scalars: Array(UnsafeBufferPointer(start: dh, count: b * h)))
    return [dInput, dKernel, dRecurrent, dBias, dRecurrentBias, dh0]
}
