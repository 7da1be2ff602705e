/// The saved tensors of one fused GRU pass, kept for its backward rule.
struct GRUTape {
    let batch: Int, steps: Int, inputSize: Int, units: Int
    let reverse: Bool
    let input: Tensor, kernel: Tensor, recurrentKernel: Tensor
    /// Activations r, z, n per step `[batch, steps, 3·units]`.
    let gates: Tensor
    /// The recurrent projection `h·U + b'` per step `[batch, steps, 3·units]` (its n block is needed).
    let recurrent: Tensor
    /// The hidden state entering each step `[batch, steps, units]`.
    let hiddenBefore: Tensor
    let mask: [Float]?
}

extension Tensor {
    /// Runs a GRU over a whole batch of sequences as one differentiable operation, with PyTorch's
    /// "reset after" equations and gate order (r, z, n):
    /// `r = σ(x·Wᵣ + bᵣ + h·Uᵣ + b'ᵣ)`, `z = σ(x·W_z + b_z + h·U_z + b'_z)`,
    /// `n = tanh(x·Wₙ + bₙ + r ⊙ (h·Uₙ + b'ₙ))`, `h' = (1 − z) ⊙ n + z ⊙ h`.
    ///
    /// `kernel` is `[inputSize, 3·units]`, `recurrentKernel` `[units, 3·units]`, `bias` and
    /// `recurrentBias` `[3·units]`. Structure, masks and `reverse` as in
    /// ``lstmSequence(_:kernel:recurrentKernel:bias:initialHidden:initialCell:mask:reverse:)``.
    ///
    /// - Returns: `[batch, steps + 1, units]`: the output of every step, then the final hidden state.
    public static func gruSequence(_ input: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor,
                                   recurrentBias: Tensor, initialHidden: Tensor, mask: Tensor? = nil,
                                   reverse: Bool = false) -> Tensor {
        precondition(input.rank == 3, "gruSequence: input must be [batch, steps, features], got \(input.shape)")
        let b = input.shape[0], t = input.shape[1], n = input.shape[2], h = recurrentKernel.shape[0], g = 3 * h
        precondition(kernel.shape == [n, g] && recurrentKernel.shape == [h, g] && bias.shape == [g] && recurrentBias.shape == [g],
                     "gruSequence: weights \(kernel.shape), \(recurrentKernel.shape), \(bias.shape), \(recurrentBias.shape) do not fit input \(input.shape)")
        precondition(initialHidden.shape == [b, h], "gruSequence: initial state must be [\(b), \(h)], got \(initialHidden.shape)")
        precondition(mask == nil || mask!.shape == [b, t], "gruSequence: mask must be [\(b), \(t)], got \(mask!.shape)")
        let gates = Tensor(uninitializedShape: [b, t, g]), recurrent = Tensor(uninitializedShape: [b, t, g])
        let hiddenBefore = Tensor(uninitializedShape: [b, t, h])
        let out = Tensor(uninitializedShape: [b, t + 1, h])
        let maskValues = mask.map { $0.cast(to: .float32).scalars }
        let xp = gates.storage.floats, rp = recurrent.storage.floats
        for r in 0..<(b * t) {
            (xp + r * g).update(from: bias.storage.floats, count: g)
            (rp + r * g).update(from: recurrentBias.storage.floats, count: g)
        }
        if b * t > 0 && n > 0 {
            CPUBackend.shared.gemm(transA: false, transB: false, m: b * t, n: g, k: n, alpha: 1,
                                   a: input.storage.floats, lda: n, b: kernel.storage.floats, ldb: g,
                                   beta: 1, c: xp, ldc: g)
        }
        let hs = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(b * h, 1))
        defer { hs.deallocate() }
        hs.update(from: initialHidden.storage.floats, count: b * h)
        let hb = hiddenBefore.storage.floats, op = out.storage.floats, u = recurrentKernel.storage.floats
        CPUBackend.parallel(recurrenceParts(batch: b)) { part in
            let (r0, r1) = recurrenceRows(part, batch: b)
            for s in 0..<t {
                let step = reverse ? t - 1 - s : s
                for r in r0..<r1 { (hb + (r * t + step) * h).update(from: hs + r * h, count: h) }
                CPUBackend.sgemm(false, false, r1 - r0, g, h, 1, hb + (r0 * t + step) * h, t * h, u, g,
                                 1, rp + (r0 * t + step) * g, t * g)
                for r in r0..<r1 {
                    let row = r * t + step
                    let y = op + (r * (t + 1) + step) * h
                    if let m = maskValues, m[row] < 0.5 {
                        y.update(repeating: 0, count: h)
                        continue
                    }
                    gruGateKernel(h, xp + row * g, rp + row * g, hs + r * h, y)
                }
            }
        }
        for r in 0..<b { (op + (r * (t + 1) + t) * h).update(from: hs + r * h, count: h) }
        let tape = GRUTape(batch: b, steps: t, inputSize: n, units: h, reverse: reverse, input: input.detached(),
                           kernel: kernel.detached(), recurrentKernel: recurrentKernel.detached(), gates: gates,
                           recurrent: recurrent, hiddenBefore: hiddenBefore, mask: maskValues)
        return Tensor.record(out, op: "gruSequence",
                             inputs: [input, kernel, recurrentKernel, bias, recurrentBias, initialHidden]) { grad in
            gruSequenceBackward(tape, grad)
        }
    }
}

/// One step of the gates for one sequence: reads the input-side pre-activations `a` and the recurrent
/// projection `rec` (r, z, n blocks of `h`), overwrites `a` with the activations r, z, n, updates
/// `hidden` in place and writes the output.
@inline(__always)
func gruGateKernel(_ h: Int, _ a: UnsafeMutablePointer<Float>, _ rec: UnsafePointer<Float>,
                   _ hidden: UnsafeMutablePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
    let ar = UnsafeMutableRawPointer(a), rr = UnsafeRawPointer(rec)
    let hr = UnsafeMutableRawPointer(hidden), yr = UnsafeMutableRawPointer(output)
    var j = 0
    while j + 8 <= h {
        let o4 = j * 4
        func load(_ p: UnsafeRawPointer, _ block: Int) -> SIMD8<Float> {
            p.loadUnaligned(fromByteOffset: o4 + block * h * 4, as: SIMD8<Float>.self)
        }
        let rg = VectorMath.sigmoid(load(ar, 0) + load(rr, 0))
        let zg = VectorMath.sigmoid(load(ar, 1) + load(rr, 1))
        let ng = VectorMath.tanh(load(ar, 2) + rg * load(rr, 2))
        let next = ng + zg * (hr.loadUnaligned(fromByteOffset: o4, as: SIMD8<Float>.self) - ng)
        ar.storeBytes(of: rg, toByteOffset: o4, as: SIMD8<Float>.self)
        ar.storeBytes(of: zg, toByteOffset: o4 + h * 4, as: SIMD8<Float>.self)
        ar.storeBytes(of: ng, toByteOffset: o4 + h * 8, as: SIMD8<Float>.self)
        hr.storeBytes(of: next, toByteOffset: o4, as: SIMD8<Float>.self)
        yr.storeBytes(of: next, toByteOffset: o4, as: SIMD8<Float>.self)
        j += 8
    }
    while j < h {
        let rg = VectorMath.sigmoid(a[j] + rec[j]), zg = VectorMath.sigmoid(a[h + j] + rec[h + j])
        let ng = VectorMath.tanh(a[2 * h + j] + rg * rec[2 * h + j])
        a[j] = rg; a[h + j] = zg; a[2 * h + j] = ng
        let next = ng + zg * (hidden[j] - ng)
        hidden[j] = next
        output[j] = next
        j += 1
    }
}
