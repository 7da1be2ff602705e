extension Tensor {
    /// Layer normalisation over the last dimension: `(x − mean) / √(var + ε) · gamma + beta`.
    ///
    /// One fused kernel forward and backward (statistics per row, biased variance as in PyTorch).
    /// `gamma` and `beta` have the size of the last dimension; either may be nil.
    public static func layerNorm(_ x: Tensor, gamma: Tensor?, beta: Tensor?, epsilon: Float = 1e-5) -> Tensor {
        precondition(x.dtype == .float32 && x.rank >= 1, "layerNorm expects a float tensor, got \(x.dtype) \(x.shape)")
        let n = x.shape[x.rank - 1], rows = x.count / Swift.max(n, 1)
        precondition(gamma == nil || gamma!.count == n, "layerNorm: gamma has \(gamma!.count) elements, expected \(n)")
        precondition(beta == nil || beta!.count == n, "layerNorm: beta has \(beta!.count) elements, expected \(n)")
        let out = Tensor(uninitializedShape: x.shape)
        let xhat = Tensor(uninitializedShape: x.shape)
        let rstd = Tensor(uninitializedShape: [rows])
        let p = x.storage.floats, o = out.storage.floats, h = xhat.storage.floats, r = rstd.storage.floats
        let gp = gamma?.storage.floats, bp = beta?.storage.floats
        let invN = 1 / Float(n)
        for row in 0..<rows {
            let xr = p + row * n, hr = h + row * n, yr = o + row * n
            let mean = sumFloats(n, xr) * invN
            var variance: Float = 0
            for i in 0..<n { let d = xr[i] - mean; variance += d * d }
            let inv = 1 / (variance * invN + epsilon).squareRoot()
            r[row] = inv
            for i in 0..<n {
                let v = (xr[i] - mean) * inv
                hr[i] = v
                yr[i] = v * (gp?[i] ?? 1) + (bp?[i] ?? 0)
            }
        }
        var inputs = [x]
        if let gamma { inputs.append(gamma) }
        if let beta { inputs.append(beta) }
        let hasGamma = gamma != nil, hasBeta = beta != nil
        let g0 = gamma?.detached()
        let needX = x.requiresGrad
        return record(out, op: "layer-norm", inputs: inputs) { g in
            // Read the saved statistics through the tensors so the closure keeps them alive.
            let h = xhat.storage.floats, r = rstd.storage.floats
            let dy = g.storage.floats
            var dx: Tensor? = nil
            if needX {
                let t = Tensor(uninitializedShape: x.shape)
                let d = t.storage.floats, gp = g0?.storage.floats
                for row in 0..<rows {
                    let dyr = dy + row * n, hr = h + row * n, dr = d + row * n
                    var sum: Float = 0, dot: Float = 0
                    for i in 0..<n {
                        let dh = dyr[i] * (gp?[i] ?? 1)
                        sum += dh
                        dot += dh * hr[i]
                    }
                    let inv = r[row]
                    for i in 0..<n {
                        let dh = dyr[i] * (gp?[i] ?? 1)
                        dr[i] = inv * (dh - invN * sum - hr[i] * invN * dot)
                    }
                }
                dx = t
            }
            var result: [Tensor?] = [dx]
            if hasGamma { result.append((g * xhat).sumKernel(axes: Array(0..<(x.rank - 1))).reshapedRaw([n])) }
            if hasBeta { result.append(g.sumKernel(axes: Array(0..<(x.rank - 1))).reshapedRaw([n])) }
            return result
        }
    }
}
