/// The saved tensors of one fused LSTM pass, kept for its backward rule.
struct LSTMTape {
    let batch: Int, steps: Int, inputSize: Int, units: Int
    let reverse: Bool
    /// The input `[batch, steps, inputSize]`.
    let input: Tensor
    let kernel: Tensor, recurrentKernel: Tensor
    /// Gate activations i, f, g, o per step `[batch, steps, 4·units]`.
    let gates: Tensor
    /// The hidden and cell state entering each step `[batch, steps, units]`.
    let hiddenBefore: Tensor, cellBefore: Tensor
    /// tanh of the cell state leaving each step `[batch, steps, units]`.
    let tanhCell: Tensor
    /// `[batch, steps]` with 1 for real steps, or nil when every step is real.
    let mask: [Float]?
}

extension Tensor {
    /// Runs an LSTM over a whole batch of sequences as one differentiable operation.
    ///
    /// Gates follow PyTorch's order and equations (i, f, g, o):
    /// `i = σ(x·Wᵢ + h·Uᵢ + bᵢ)`, `f = σ(…)`, `g = tanh(…)`, `o = σ(…)`, `c' = f⊙c + i⊙g`, `h' = o⊙tanh(c')`,
    /// with `kernel` `[inputSize, 4·units]`, `recurrentKernel` `[units, 4·units]` and one `bias` `[4·units]`
    /// (PyTorch's `b_ih + b_hh`).
    ///
    /// The input projection of all steps is one matrix product; each step then costs one small product
    /// `h·U` accumulated in place and one fused gate kernel. The backward pass mirrors this: one small
    /// product per step for the hidden-state gradient, then three large products for the input, kernel
    /// and recurrent-kernel gradients.
    ///
    /// A step whose `mask` entry is 0 leaves the state unchanged and outputs zeros. With `reverse` the
    /// steps run from last to first (outputs stay at their own positions), so with a right-padded mask
    /// each sequence is read backwards from its last real step.
    ///
    /// - Returns: `[batch, steps + 2, units]`: the output of every step, then the final hidden state,
    ///   then the final cell state.
    public static func lstmSequence(_ input: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor,
                                    initialHidden: Tensor, initialCell: Tensor, mask: Tensor? = nil,
                                    reverse: Bool = false) -> Tensor {
        precondition(input.rank == 3, "lstmSequence: input must be [batch, steps, features], got \(input.shape)")
        let b = input.shape[0], t = input.shape[1], n = input.shape[2], h = recurrentKernel.shape[0]
        precondition(kernel.shape == [n, 4 * h] && recurrentKernel.shape == [h, 4 * h] && bias.shape == [4 * h],
                     "lstmSequence: weights \(kernel.shape), \(recurrentKernel.shape), \(bias.shape) do not fit input \(input.shape)")
        precondition(initialHidden.shape == [b, h] && initialCell.shape == [b, h],
                     "lstmSequence: initial state must be [\(b), \(h)], got \(initialHidden.shape) and \(initialCell.shape)")
        precondition(mask == nil || mask!.shape == [b, t], "lstmSequence: mask must be [\(b), \(t)], got \(mask!.shape)")
        let g = 4 * h
        let gates = Tensor(uninitializedShape: [b, t, g])
        let hiddenBefore = Tensor(uninitializedShape: [b, t, h]), cellBefore = Tensor(uninitializedShape: [b, t, h])
        let tanhCell = Tensor(uninitializedShape: [b, t, h])
        let out = Tensor(uninitializedShape: [b, t + 2, h])
        let maskValues = mask.map { $0.cast(to: .float32).scalars }
        let zp = gates.storage.floats
        // Input projection of every step, bias included: Z = X·W + b.
        for r in 0..<(b * t) { (zp + r * g).update(from: bias.storage.floats, count: g) }
        if b * t > 0 && n > 0 {
            CPUBackend.shared.gemm(transA: false, transB: false, m: b * t, n: g, k: n, alpha: 1,
                                   a: input.storage.floats, lda: n, b: kernel.storage.floats, ldb: g,
                                   beta: 1, c: zp, ldc: g)
        }
        let hs = UnsafeMutablePointer<Float>.allocate(capacity: b * h)
        let cs = UnsafeMutablePointer<Float>.allocate(capacity: b * h)
        defer { hs.deallocate(); cs.deallocate() }
        hs.update(from: initialHidden.storage.floats, count: b * h)
        cs.update(from: initialCell.storage.floats, count: b * h)
        let hb = hiddenBefore.storage.floats, cb = cellBefore.storage.floats, tc = tanhCell.storage.floats
        let op = out.storage.floats
        let u = recurrentKernel.storage.floats
        // Sequences are independent, so each core runs the whole recurrence for its own rows of the batch.
        CPUBackend.parallel(recurrenceParts(batch: b)) { part in
            let (r0, r1) = recurrenceRows(part, batch: b)
            for s in 0..<t {
                let step = reverse ? t - 1 - s : s
                for r in r0..<r1 {
                    (hb + (r * t + step) * h).update(from: hs + r * h, count: h)
                    (cb + (r * t + step) * h).update(from: cs + r * h, count: h)
                }
                CPUBackend.sgemm(false, false, r1 - r0, g, h, 1, hb + (r0 * t + step) * h, t * h, u, g,
                                 1, zp + (r0 * t + step) * g, t * g)
                for r in r0..<r1 {
                    let row = r * t + step
                    let y = op + (r * (t + 2) + step) * h
                    if let m = maskValues, m[row] < 0.5 {
                        y.update(repeating: 0, count: h)
                        continue
                    }
                    lstmGateKernel(h, zp + row * g, hs + r * h, cs + r * h, tc + row * h, y)
                }
            }
        }
        for r in 0..<b {
            (op + (r * (t + 2) + t) * h).update(from: hs + r * h, count: h)
            (op + (r * (t + 2) + t + 1) * h).update(from: cs + r * h, count: h)
        }
        let tape = LSTMTape(batch: b, steps: t, inputSize: n, units: h, reverse: reverse, input: input.detached(),
                            kernel: kernel.detached(), recurrentKernel: recurrentKernel.detached(), gates: gates,
                            hiddenBefore: hiddenBefore, cellBefore: cellBefore, tanhCell: tanhCell, mask: maskValues)
        return Tensor.record(out, op: "lstmSequence",
                             inputs: [input, kernel, recurrentKernel, bias, initialHidden, initialCell]) { grad in
            lstmSequenceBackward(tape, grad)
        }
    }
}

/// One step of the gates for one sequence: reads pre-activations `z` (i, f, g, o blocks of `h`),
/// overwrites them with the activations, updates `hidden` and `cell` in place, stores tanh of the new
/// cell state and writes the output.
@inline(__always)
func lstmGateKernel(_ h: Int, _ z: UnsafeMutablePointer<Float>, _ hidden: UnsafeMutablePointer<Float>,
                    _ cell: UnsafeMutablePointer<Float>, _ tanhCell: UnsafeMutablePointer<Float>,
                    _ output: UnsafeMutablePointer<Float>) {
    let zr = UnsafeMutableRawPointer(z)
    let hr = UnsafeMutableRawPointer(hidden), cr = UnsafeMutableRawPointer(cell)
    let tr = UnsafeMutableRawPointer(tanhCell), yr = UnsafeMutableRawPointer(output)
    var j = 0
    while j + 8 <= h {
        let o4 = j * 4
        let i = VectorMath.sigmoid(zr.loadUnaligned(fromByteOffset: o4, as: SIMD8<Float>.self))
        let f = VectorMath.sigmoid(zr.loadUnaligned(fromByteOffset: o4 + h * 4, as: SIMD8<Float>.self))
        let gg = VectorMath.tanh(zr.loadUnaligned(fromByteOffset: o4 + h * 8, as: SIMD8<Float>.self))
        let o = VectorMath.sigmoid(zr.loadUnaligned(fromByteOffset: o4 + h * 12, as: SIMD8<Float>.self))
        let c = f * cr.loadUnaligned(fromByteOffset: o4, as: SIMD8<Float>.self) + i * gg
        let tcv = VectorMath.tanh(c)
        let hv = o * tcv
        zr.storeBytes(of: i, toByteOffset: o4, as: SIMD8<Float>.self)
        zr.storeBytes(of: f, toByteOffset: o4 + h * 4, as: SIMD8<Float>.self)
        zr.storeBytes(of: gg, toByteOffset: o4 + h * 8, as: SIMD8<Float>.self)
        zr.storeBytes(of: o, toByteOffset: o4 + h * 12, as: SIMD8<Float>.self)
        cr.storeBytes(of: c, toByteOffset: o4, as: SIMD8<Float>.self)
        tr.storeBytes(of: tcv, toByteOffset: o4, as: SIMD8<Float>.self)
        hr.storeBytes(of: hv, toByteOffset: o4, as: SIMD8<Float>.self)
        yr.storeBytes(of: hv, toByteOffset: o4, as: SIMD8<Float>.self)
        j += 8
    }
    while j < h {
        let i = VectorMath.sigmoid(z[j]), f = VectorMath.sigmoid(z[h + j])
        let gg = VectorMath.tanh(z[2 * h + j]), o = VectorMath.sigmoid(z[3 * h + j])
        let c = f * cell[j] + i * gg
        let tcv = VectorMath.tanh(c)
        z[j] = i; z[h + j] = f; z[2 * h + j] = gg; z[3 * h + j] = o
        cell[j] = c; tanhCell[j] = tcv; hidden[j] = o * tcv; output[j] = o * tcv
        j += 1
    }
}

/// How many parts the recurrence of a batch is split into (rows of at least 8 sequences per core).
func recurrenceParts(batch: Int) -> Int {
    Swift.max(1, Swift.min(CPUBackend.configuredThreads, batch / 8))
}

/// The batch rows of one part of the recurrence.
func recurrenceRows(_ part: Int, batch: Int) -> (Int, Int) {
    let parts = recurrenceParts(batch: batch)
    return (part * batch / parts, (part + 1) * batch / parts)
}
