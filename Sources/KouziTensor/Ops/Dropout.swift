import KouziBase

extension Tensor {
    /// Inverted dropout: each element is kept with probability `1 − rate` and scaled by `1 / (1 − rate)`,
    /// otherwise zeroed; the gradient flows through the kept elements with the same scale.
    ///
    /// Draws 16 random bits per element (four elements per generator call), so the keep probability is
    /// quantised to 1/65536.
    public func dropout(rate: Float, using generator: inout SeededGenerator) -> Tensor {
        precondition(dtype == .float32, "dropout expects a float32 tensor, got \(dtype)")
        precondition((0..<1).contains(rate), "dropout rate must be in [0, 1), got \(rate)")
        let n = count
        let mask = Tensor(uninitializedShape: shape)
        let out = Tensor(uninitializedShape: shape)
        let m = mask.storage.floats, o = out.storage.floats, p = storage.floats
        let threshold = UInt64((Double(rate) * 65_536).rounded())
        let scale = 1 / (1 - rate)
        @inline(__always) func keep(_ bits: UInt64) -> Float { (bits & 0xFFFF) >= threshold ? scale : 0 }
        var i = 0
        while i + 4 <= n {
            let bits = generator.next()
            let k0 = keep(bits), k1 = keep(bits >> 16), k2 = keep(bits >> 32), k3 = keep(bits >> 48)
            m[i] = k0; m[i + 1] = k1; m[i + 2] = k2; m[i + 3] = k3
            o[i] = p[i] * k0; o[i + 1] = p[i + 1] * k1; o[i + 2] = p[i + 2] * k2; o[i + 3] = p[i + 3] * k3
            i += 4
        }
        var bits = generator.next()
        while i < n {
            let k = keep(bits)
            m[i] = k
            o[i] = p[i] * k
            bits >>= 16
            i += 1
        }
        return Tensor.record(out, op: "dropout", inputs: [self]) { g in [g.zipKernel(mask, { $0 * $1 }, { $0 * $1 })] }
    }
}
