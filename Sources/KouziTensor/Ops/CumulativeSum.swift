extension Tensor {
    /// Running sums along `axis` (NumPy's `cumsum`, TensorFlow's `cumsum` with its options): entry i is
    /// the sum of entries 0...i, of 0..<i when `exclusive` (the first is 0), and runs from the end of the
    /// axis when `reverse`. Sums accumulate in double precision.
    ///
    /// The gradient is the running sum of the output gradient in the other direction, with the same
    /// `exclusive` setting.
    ///
    /// - Precondition: a float32 tensor of rank ≥ 1 and `axis` in `-rank..<rank`.
    public func cumsum(axis: Int, exclusive: Bool = false, reverse: Bool = false) -> Tensor {
        precondition(dtype == .float32, "cumsum expects a float32 tensor, got \(dtype) \(shape)")
        let a = resolvedAxis(axis, "cumsum")
        let lines = AxisRows(shape: shape, axis: a)
        let out = Tensor(uninitializedShape: shape)
        let src = storage.floats, dst = out.storage.floats
        let n = lines.length, inner = lines.inner
        var acc = [Double](repeating: 0, count: inner)
        for o in 0..<lines.outer {
            for c in 0..<inner { acc[c] = 0 }
            for step in 0..<n {
                let row = o * n * inner + (reverse ? n - 1 - step : step) * inner
                for c in 0..<inner {
                    let v = Double(src[row + c])
                    if exclusive { dst[row + c] = Float(acc[c]); acc[c] += v } else { acc[c] += v; dst[row + c] = Float(acc[c]) }
                }
            }
        }
        return Tensor.record(out, op: "cumsum", inputs: [self]) { g in
            [g.cumsum(axis: a, exclusive: exclusive, reverse: !reverse)]
        }
    }
}
