import KouziBase
extension Tensor {
    /// Softmax along `axis`, computed stably (max subtracted).
    public func softmax(axis: Int = -1) -> Tensor {
        alongLastAxis(axis) { $0.softmaxLast() }
    }

    /// Log-softmax along `axis`, computed stably.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        alongLastAxis(axis) { $0.logSoftmaxLast() }
    }

    /// Log of the sum of exponentials along `axis`, computed stably.
    public func logSumExp(axis: Int = -1, keepDims: Bool = false) -> Tensor {
        let m = withoutGrad { detached().max(axes: [axis], keepDims: true) }
        let r = (self - m).exp().sum(axes: [axis], keepDims: true).log() + m
        return keepDims ? r : r.squeezed(axes: [axis])
    }

    private func alongLastAxis(_ axis: Int, _ body: (Tensor) -> Tensor) -> Tensor {
        guard let a = Shape.normalize(axis: axis, rank: rank), rank > 0 else {
            preconditionFailure("softmax: axis \(axis) out of range for shape \(shape)")
        }
        if a == rank - 1 { return body(self) }
        return body(transposed(a, -1)).transposed(a, -1)
    }

    /// Writes `exp(x − max x)` into `y` for one row of `n`; returns the max and the sum of `y`.
    @inline(__always)
    private static func shiftedExp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) -> (max: Float, sum: Float) {
        var m = -Float.infinity
        for i in 0..<n where x[i] > m { m = x[i] }
        let mv = SIMD8<Float>(repeating: m)
        mapFloats(n, x, y, { VectorMath.exp($0 - mv) }, { VectorMath.exp($0 - m) })
        return (m, sumFloats(n, y))
    }

    private func softmaxLast() -> Tensor {
        let n = shape[rank - 1], rows = count / Swift.max(n, 1)
        let out = Tensor(uninitializedShape: shape)
        let p = storage.floats, o = out.storage.floats
        for r in 0..<rows {
            let y = o + r * n
            let inv = 1 / Tensor.shiftedExp(p + r * n, y, n).sum
            for i in 0..<n { y[i] *= inv }
        }
        return Tensor.record(out, op: "softmax", inputs: [self]) { g in
            let dx = Tensor(uninitializedShape: out.shape)
            let gp = g.storage.floats, yp = out.storage.floats, d = dx.storage.floats
            for r in 0..<rows {
                let gy = gp + r * n, y = yp + r * n, dr = d + r * n
                var dot: Float = 0
                for i in 0..<n { dot += gy[i] * y[i] }
                for i in 0..<n { dr[i] = y[i] * (gy[i] - dot) }
            }
            return [dx]
        }
    }

    private func logSoftmaxLast() -> Tensor {
        let n = shape[rank - 1], rows = count / Swift.max(n, 1)
        let out = Tensor(uninitializedShape: shape)
        let p = storage.floats, o = out.storage.floats
        for r in 0..<rows {
            let x = p + r * n, y = o + r * n
            let (m, sum) = Tensor.shiftedExp(x, y, n)
            let lse = m + logf(sum)
            for i in 0..<n { y[i] = x[i] - lse }
        }
        return Tensor.record(out, op: "log-softmax", inputs: [self]) { g in
            let dx = Tensor(uninitializedShape: out.shape)
            let gp = g.storage.floats, yp = out.storage.floats, d = dx.storage.floats
            for r in 0..<rows {
                let gy = gp + r * n, y = yp + r * n, dr = d + r * n
                let s = sumFloats(n, gy)
                for i in 0..<n { dr[i] = gy[i] - VectorMath.exp(y[i]) * s }
            }
            return [dx]
        }
    }
}

