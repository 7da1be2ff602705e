import KouziBase

extension Tensor {
    /// Applies a scalar libm function elementwise (libm calls do not vectorise, so no SIMD form).
    @inlinable
    func mapScalar(_ f: (Float) -> Float) -> Tensor {
        precondition(dtype == .float32, "expected a float32 tensor, got \(dtype)")
        let out = Tensor(uninitializedShape: shape)
        let p = storage.floats, o = out.storage.floats
        for i in 0..<count { o[i] = f(p[i]) }
        return out
    }

    /// e^x.
    public func exp() -> Tensor {
        let out = mapKernel(VectorMath.exp, VectorMath.exp)
        return Tensor.record(out, op: "exp", inputs: [self]) { g in [g * out] }
    }

    /// Natural logarithm.
    public func log() -> Tensor {
        let out = mapScalar { logf($0) }
        let d = detached()
        return Tensor.record(out, op: "log", inputs: [self]) { g in [g / d] }
    }

    /// Square root.
    public func sqrt() -> Tensor {
        let out = mapKernel({ $0.squareRoot() }, { $0.squareRoot() })
        return Tensor.record(out, op: "sqrt", inputs: [self]) { g in [g / (out * 2)] }
    }

    /// Elementwise square.
    public func square() -> Tensor {
        let out = mapKernel({ $0 * $0 }, { $0 * $0 })
        let d = detached()
        return Tensor.record(out, op: "square", inputs: [self]) { g in [g * d * 2] }
    }

    /// Absolute value (gradient sign(x), 0 at 0).
    public func abs() -> Tensor {
        let out = mapKernel(VectorMath.abs, { Swift.abs($0) })
        let d = detached()
        return Tensor.record(out, op: "abs", inputs: [self]) { g in
            [g * d.mapKernel({ v in SIMD8<Float>(repeating: 0).replacing(with: 1, where: v .> 0).replacing(with: -1, where: v .< 0) },
                              { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })]
        }
    }

    /// Limits values to `[min, max]` (gradient 1 inside, 0 where clamped).
    public func clamped(min lo: Float = -.infinity, max hi: Float = .infinity) -> Tensor {
        let vlo = SIMD8<Float>(repeating: lo), vhi = SIMD8<Float>(repeating: hi)
        let out = mapKernel({ VectorMath.clamp($0, lo, hi) }, { Swift.min(Swift.max($0, lo), hi) })
        let d = detached()
        return Tensor.record(out, op: "clamp", inputs: [self]) { g in
            [g * d.mapKernel({ v in SIMD8<Float>(repeating: 0).replacing(with: 1, where: (v .>= vlo) .& (v .<= vhi)) },
                              { $0 >= lo && $0 <= hi ? 1 : 0 })]
        }
    }

    /// Logistic sigmoid.
    public func sigmoid() -> Tensor {
        let out = mapKernel(VectorMath.sigmoid, VectorMath.sigmoid)
        return Tensor.record(out, op: "sigmoid", inputs: [self]) { g in
            [g.zipKernel(out, { $0 * $1 * (1 - $1) }, { $0 * $1 * (1 - $1) })]
        }
    }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor {
        let out = mapKernel(VectorMath.tanh, VectorMath.tanh)
        return Tensor.record(out, op: "tanh", inputs: [self]) { g in
            [g.zipKernel(out, { $0 * (1 - $1 * $1) }, { $0 * (1 - $1 * $1) })]
        }
    }

    /// Rectified linear unit max(x, 0).
    public func relu() -> Tensor {
        let zero = SIMD8<Float>()
        let out = mapKernel({ $0.replacing(with: zero, where: $0 .< zero) }, { $0 > 0 ? $0 : 0 })
        return Tensor.record(out, op: "relu", inputs: [self]) { g in
            [g.zipKernel(out, { $0.replacing(with: zero, where: $1 .<= zero) }, { $1 > 0 ? $0 : 0 })]
        }
    }

    /// Leaky ReLU: x for x > 0, `slope`·x otherwise.
    public func leakyRelu(slope: Float = 0.01) -> Tensor {
        let zero = SIMD8<Float>()
        let out = mapKernel({ $0.replacing(with: $0 * slope, where: $0 .< zero) }, { $0 > 0 ? $0 : $0 * slope })
        let d = detached()
        return Tensor.record(out, op: "leaky-relu", inputs: [self]) { g in
            [g.zipKernel(d, { $0.replacing(with: $0 * slope, where: $1 .<= zero) }, { $1 > 0 ? $0 : $0 * slope })]
        }
    }

    /// Gaussian error linear unit, exact form x·Φ(x) = ½x(1 + erf(x/√2)).
    public func gelu() -> Tensor {
        let d = detached()
        let out = Tensor(uninitializedShape: shape)
        let p = storage.floats, o = out.storage.floats
        for i in 0..<count { o[i] = 0.5 * p[i] * (1 + erff(p[i] * 0.707_106_78)) }
        return Tensor.record(out, op: "gelu", inputs: [self]) { g in
            let dx = Tensor(uninitializedShape: d.shape)
            let x = d.storage.floats, q = dx.storage.floats, gp = g.storage.floats
            for i in 0..<d.count {
                let cdf = 0.5 * (1 + erff(x[i] * 0.707_106_78))
                let pdf = 0.398_942_28 * expf(-0.5 * x[i] * x[i])
                q[i] = gp[i] * (cdf + x[i] * pdf)
            }
            return [dx]
        }
    }

    /// softplus(x) = log(1 + e^x), computed stably.
    public func softplus() -> Tensor {
        let out = mapScalar { Swift.max($0, 0) + log1pf(expf(-Swift.abs($0))) }
        let d = detached()
        return Tensor.record(out, op: "softplus", inputs: [self]) { g in [g * d.sigmoid()] }
    }
}
