/// The backward rule of ``Tensor/lstmSequence(_:kernel:recurrentKernel:bias:initialHidden:initialCell:mask:reverse:)``.
///
/// Walks the steps in the opposite order of the forward pass. Per step: one fused kernel turns the
/// hidden- and cell-state gradients into gate pre-activation gradients `dZ`, and one small product
/// `dZ·Uᵀ` gives the hidden-state gradient of the previous step. Masked steps pass both state
/// gradients through unchanged. Afterwards three large products give `dX = dZ·Wᵀ`, `dW = Xᵀ·dZ`,
/// `dU = H₋₁ᵀ·dZ`, and the bias gradient is the column sum of `dZ`.
func lstmSequenceBackward(_ tape: LSTMTape, _ grad: Tensor) -> [Tensor?] {
    let b = tape.batch, t = tape.steps, n = tape.inputSize, h = tape.units, g = 4 * h
    let backend = CPUBackend.shared
    let dz = Tensor(uninitializedShape: [b, t, g])
    let dh = UnsafeMutablePointer<Float>.allocate(capacity: b * h)
    let dc = UnsafeMutablePointer<Float>.allocate(capacity: b * h)
    defer { dh.deallocate(); dc.deallocate() }
    let gp = grad.storage.floats
    for r in 0..<b {
        (dh + r * h).update(from: gp + (r * (t + 2) + t) * h, count: h)
        (dc + r * h).update(from: gp + (r * (t + 2) + t + 1) * h, count: h)
    }
    // Uᵀ and Wᵀ once, so the per-step and input-gradient products run untransposed (OpenBLAS's
    // small-matrix path, no packing per call).
    let recurrentT = transposedCopy(tape.recurrentKernel.storage.floats, rows: h, cols: g)
    let kernelT = transposedCopy(tape.kernel.storage.floats, rows: n, cols: g)
    defer { recurrentT.deallocate(); kernelT.deallocate() }
    let zp = tape.gates.storage.floats, dzp = dz.storage.floats
    let cb = tape.cellBefore.storage.floats, tc = tape.tanhCell.storage.floats
    let mask = tape.mask
    CPUBackend.parallel(recurrenceParts(batch: b)) { part in
        let (r0, r1) = recurrenceRows(part, batch: b)
        for s in 0..<t {
            let step = tape.reverse ? s : t - 1 - s
            var anyReal = false
            for r in r0..<r1 {
                let row = r * t + step
                if let m = mask, m[row] < 0.5 {
                    (dzp + row * g).update(repeating: 0, count: g)
                    continue
                }
                anyReal = true
                lstmGateBackwardKernel(h, zp + row * g, cb + row * h, tc + row * h, gp + (r * (t + 2) + step) * h,
                                       dh + r * h, dc + r * h, dzp + row * g)
            }
            if anyReal {
                CPUBackend.sgemm(false, false, r1 - r0, h, g, 1, dzp + (r0 * t + step) * g, t * g, recurrentT, h,
                                 1, dh + r0 * h, h)
            }
        }
    }
    let dInput = Tensor(uninitializedShape: [b, t, n])
    let dKernel = Tensor(uninitializedShape: [n, g]), dRecurrent = Tensor(uninitializedShape: [h, g])
    let rows = b * t
    if rows > 0 && n > 0 {
        backend.gemm(transA: false, transB: false, m: rows, n: n, k: g, alpha: 1, a: dzp, lda: g,
                     b: kernelT, ldb: n, beta: 0, c: dInput.storage.floats, ldc: n)
        backend.gemm(transA: true, transB: false, m: n, n: g, k: rows, alpha: 1, a: tape.input.storage.floats,
                     lda: n, b: dzp, ldb: g, beta: 0, c: dKernel.storage.floats, ldc: g)
    } else {
        dInput.storage.floats.update(repeating: 0, count: dInput.count)
        dKernel.storage.floats.update(repeating: 0, count: dKernel.count)
    }
    if rows > 0 {
        backend.gemm(transA: true, transB: false, m: h, n: g, k: rows, alpha: 1,
                     a: tape.hiddenBefore.storage.floats, lda: h, b: dzp, ldb: g, beta: 0,
                     c: dRecurrent.storage.floats, ldc: g)
    } else {
        dRecurrent.storage.floats.update(repeating: 0, count: dRecurrent.count)
    }
    let dBias = Tensor.zeros([g])
    let bp = dBias.storage.floats
    for r in 0..<rows { zipFloats(g, bp, dzp + r * g, bp, { $0 + $1 }, { $0 + $1 }) }
    let dh0 = Tensor(shape: [b, h], scalars: Array(UnsafeBufferPointer(start: dh, count: b * h)))
    let dc0 = Tensor(shape: [b, h], scalars: Array(UnsafeBufferPointer(start: dc, count: b * h)))
    return [dInput, dKernel, dRecurrent, dBias, dh0, dc0]
}

/// Gate gradients of one real step of one sequence. On entry `dh`/`dc` hold the gradients flowing
/// into the state leaving the step (without this step's output gradient `dy`); on exit `dc` holds
/// the cell-state gradient of the previous step and `dh` zero (the caller adds `dZ·Uᵀ`).
@inline(__always)
func lstmGateBackwardKernel(_ h: Int, _ gates: UnsafePointer<Float>, _ cellBefore: UnsafePointer<Float>,
                            _ tanhCell: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                            _ dh: UnsafeMutablePointer<Float>, _ dc: UnsafeMutablePointer<Float>,
                            _ dz: UnsafeMutablePointer<Float>) {
    let zr = UnsafeRawPointer(gates), cr = UnsafeRawPointer(cellBefore), tr = UnsafeRawPointer(tanhCell)
    let yr = UnsafeRawPointer(dy), hr = UnsafeMutableRawPointer(dh), dcr = UnsafeMutableRawPointer(dc)
    let dzr = UnsafeMutableRawPointer(dz)
    let one = SIMD8<Float>(repeating: 1)
    var j = 0
    while j + 8 <= h {
        let o4 = j * 4
        let i = zr.loadUnaligned(fromByteOffset: o4, as: SIMD8<Float>.self)
        let f = zr.loadUnaligned(fromByteOffset: o4 + h * 4, as: SIMD8<Float>.self)
        let gg = zr.loadUnaligned(fromByteOffset: o4 + h * 8, as: SIMD8<Float>.self)
        let o = zr.loadUnaligned(fromByteOffset: o4 + h * 12, as: SIMD8<Float>.self)
        let tcv = tr.loadUnaligned(fromByteOffset: o4, as: SIMD8<Float>.self)
        let cp = cr.loadUnaligned(fromByteOffset: o4, as: SIMD8<Float>.self)
        let dht = hr.loadUnaligned(fromByteOffset: o4, as: SIMD8<Float>.self) + yr.loadUnaligned(fromByteOffset: o4, as: SIMD8<Float>.self)
        let dct = dcr.loadUnaligned(fromByteOffset: o4, as: SIMD8<Float>.self) + dht * o * (one - tcv * tcv)
        dzr.storeBytes(of: dct * gg * i * (one - i), toByteOffset: o4, as: SIMD8<Float>.self)
        dzr.storeBytes(of: dct * cp * f * (one - f), toByteOffset: o4 + h * 4, as: SIMD8<Float>.self)
        dzr.storeBytes(of: dct * i * (one - gg * gg), toByteOffset: o4 + h * 8, as: SIMD8<Float>.self)
        dzr.storeBytes(of: dht * tcv * o * (one - o), toByteOffset: o4 + h * 12, as: SIMD8<Float>.self)
        dcr.storeBytes(of: dct * f, toByteOffset: o4, as: SIMD8<Float>.self)
        hr.storeBytes(of: SIMD8<Float>(), toByteOffset: o4, as: SIMD8<Float>.self)
        j += 8
    }
    while j < h {
        let i = gates[j], f = gates[h + j], gg = gates[2 * h + j], o = gates[3 * h + j]
        let tcv = tanhCell[j], cp = cellBefore[j]
        let dht = dh[j] + dy[j]
        let dct = dc[j] + dht * o * (1 - tcv * tcv)
        dz[j] = dct * gg * i * (1 - i)
        dz[h + j] = dct * cp * f * (1 - f)
        dz[2 * h + j] = dct * i * (1 - gg * gg)
        dz[3 * h + j] = dht * tcv * o * (1 - o)
        dc[j] = dct * f
        dh[j] = 0
        j += 1
    }
}

/// A freshly allocated `[cols, rows]` transpose of a row-major `[rows, cols]` matrix (caller deallocates).
func transposedCopy(_ m: UnsafePointer<Float>, rows: Int, cols: Int) -> UnsafeMutablePointer<Float> {
    let out = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(rows * cols, 1))
    for r in 0..<rows { for c in 0..<cols { out[c * rows + r] = m[r * cols + c] } }
    return out
}
