import KouziBase
extension Tensor {
    /// Sums this gradient down to `target` shape, undoing broadcasting.
    public func reduced(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        var axes: [Int] = Array(0..<lead)
        for (i, d) in target.enumerated() where d == 1 && shape[lead + i] != 1 { axes.append(lead + i) }
        return sumKernel(axes: axes).reshapedRaw(target)
    }

    /// Same storage, new shape (no autograd).
    @usableFromInline
    func reshapedRaw(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, storage: storage) }

    // MARK: Tensor ⊕ Tensor

    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(a, b, AddKernel.self, op: "add")
        let sa = a.shape, sb = b.shape
        return record(out, op: "add", inputs: [a, b]) { g in [g.reduced(toShape: sa), g.reduced(toShape: sb)] }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(a, b, SubKernel.self, op: "subtract")
        let sa = a.shape, sb = b.shape
        return record(out, op: "subtract", inputs: [a, b]) { g in [g.reduced(toShape: sa), (-g).reduced(toShape: sb)] }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(a, b, MulKernel.self, op: "multiply")
        let da = a.detached(), db = b.detached()
        let needA = a.requiresGrad, needB = b.requiresGrad
        return record(out, op: "multiply", inputs: [a, b]) { g in
            [needA ? (g * db).reduced(toShape: da.shape) : nil, needB ? (g * da).reduced(toShape: db.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(a, b, DivKernel.self, op: "divide")
        let da = a.detached(), db = b.detached(), o = out
        let needA = a.requiresGrad, needB = b.requiresGrad
        return record(out, op: "divide", inputs: [a, b]) { g in
            [needA ? (g / db).reduced(toShape: da.shape) : nil,
             needB ? (-(g * o) / db).reduced(toShape: db.shape) : nil]
        }
    }

    /// Elementwise maximum with broadcasting (gradient goes to the larger input; ties to `a`).
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let out = broadcastBinary(a, b, MaxKernel.self, op: "maximum")
        let da = a.detached(), db = b.detached()
        return record(out, op: "maximum", inputs: [a, b]) { g in
            let mask = da.greaterEqual(db)
            return [(g * mask).reduced(toShape: da.shape), (g * (1 - mask)).reduced(toShape: db.shape)]
        }
    }

    /// Elementwise minimum with broadcasting (gradient goes to the smaller input; ties to `a`).
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let out = broadcastBinary(a, b, MinKernel.self, op: "minimum")
        let da = a.detached(), db = b.detached()
        return record(out, op: "minimum", inputs: [a, b]) { g in
            let mask = da.lessEqual(db)
            return [(g * mask).reduced(toShape: da.shape), (g * (1 - mask)).reduced(toShape: db.shape)]
        }
    }

    // MARK: Tensor ⊕ scalar

    /// Negation.
    public static prefix func - (a: Tensor) -> Tensor {
        let out = a.mapKernel({ -$0 }, { -$0 })
        return record(out, op: "negate", inputs: [a]) { g in [-g] }
    }

    public static func + (a: Tensor, s: Float) -> Tensor {
        let v = SIMD8<Float>(repeating: s)
        let out = a.mapKernel({ $0 + v }, { $0 + s })
        return record(out, op: "add-scalar", inputs: [a]) { g in [g] }
    }
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
    public static func - (s: Float, a: Tensor) -> Tensor {
        let v = SIMD8<Float>(repeating: s)
        let out = a.mapKernel({ v - $0 }, { s - $0 })
        return record(out, op: "rsub-scalar", inputs: [a]) { g in [-g] }
    }
    public static func * (a: Tensor, s: Float) -> Tensor {
        let v = SIMD8<Float>(repeating: s)
        let out = a.mapKernel({ $0 * v }, { $0 * s })
        return record(out, op: "mul-scalar", inputs: [a]) { g in [g * s] }
    }
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }
    public static func / (s: Float, a: Tensor) -> Tensor {
        let v = SIMD8<Float>(repeating: s)
        let out = a.mapKernel({ v / $0 }, { s / $0 })
        let da = a.detached()
        return record(out, op: "rdiv-scalar", inputs: [a]) { g in [-(g * out) / da] }
    }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }

    /// Elementwise `self ** exponent` with broadcasting.
    public func pow(_ exponent: Tensor) -> Tensor {
        precondition(dtype == .float32 && exponent.dtype == .float32, "pow expects float32 tensors")
        guard let shape = Shape.broadcast(self.shape, exponent.shape) else {
            preconditionFailure("pow: shapes \(self.shape) and \(exponent.shape) cannot be broadcast together")
        }
        let a = withoutGrad { self.broadcast(to: shape) }, b = withoutGrad { exponent.broadcast(to: shape) }
        let out = Tensor(uninitializedShape: shape)
        for i in 0..<out.count { out.storage.floats[i] = powf(a.storage.floats[i], b.storage.floats[i]) }
        let sa = self.shape, sb = exponent.shape
        return Tensor.record(out, op: "pow", inputs: [self, exponent]) { g in
            let ga = g * b * a.pow(b - 1)
            let gb = g * out * a.log()
            return [ga.reduced(toShape: sa), gb.reduced(toShape: sb)]
        }
    }

    /// Elementwise `self ** p` for a constant exponent.
    public func pow(_ p: Float) -> Tensor {
        if p == 2 { return square() }
        if p == 1 { return self }
        let out = mapScalar { powf($0, p) }
        let d = detached()
        return Tensor.record(out, op: "pow-scalar", inputs: [self]) { g in [g * p * d.pow(p - 1)] }
    }
}

