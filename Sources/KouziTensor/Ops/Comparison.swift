extension Tensor {
    private func compare(_ other: Tensor, _ v: @escaping (SIMD8<Float>, SIMD8<Float>) -> SIMDMask<SIMD8<Int32>>,
                         _ s: @escaping (Float, Float) -> Bool) -> Tensor {
        let one = SIMD8<Float>(repeating: 1), zero = SIMD8<Float>()
        guard let target = Shape.broadcast(shape, other.shape) else {
            preconditionFailure("compare: shapes \(shape) and \(other.shape) cannot be broadcast together")
        }
        let a = withoutGrad { self.broadcast(to: target) }, b = withoutGrad { other.broadcast(to: target) }
        return a.detached().zipKernel(b.detached(), { zero.replacing(with: one, where: v($0, $1)) }, { s($0, $1) ? 1 : 0 })
    }

    /// 1 where `self == other`, else 0 (broadcasting; no gradient).
    public func equal(_ other: Tensor) -> Tensor { compare(other, { $0 .== $1 }, { $0 == $1 }) }
    /// 1 where `self != other`, else 0.
    public func notEqual(_ other: Tensor) -> Tensor { compare(other, { $0 .!= $1 }, { $0 != $1 }) }
    /// 1 where `self < other`, else 0.
    public func less(_ other: Tensor) -> Tensor { compare(other, { $0 .< $1 }, { $0 < $1 }) }
    /// 1 where `self <= other`, else 0.
    public func lessEqual(_ other: Tensor) -> Tensor { compare(other, { $0 .<= $1 }, { $0 <= $1 }) }
    /// 1 where `self > other`, else 0.
    public func greater(_ other: Tensor) -> Tensor { compare(other, { $0 .> $1 }, { $0 > $1 }) }
    /// 1 where `self >= other`, else 0.
    public func greaterEqual(_ other: Tensor) -> Tensor { compare(other, { $0 .>= $1 }, { $0 >= $1 }) }

    /// 1 where `self > s`, else 0.
    public func greater(_ s: Float) -> Tensor { greater(Tensor(s)) }
    /// 1 where `self < s`, else 0.
    public func less(_ s: Float) -> Tensor { less(Tensor(s)) }
    /// 1 where `self == s`, else 0.
    public func equal(_ s: Float) -> Tensor { equal(Tensor(s)) }

    /// Picks `a` where `condition` is non-zero and `b` elsewhere (broadcasting all three).
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        guard let ab = Shape.broadcast(a.shape, b.shape), let shape = Shape.broadcast(condition.shape, ab) else {
            preconditionFailure("where: shapes \(condition.shape), \(a.shape), \(b.shape) cannot be broadcast together")
        }
        let mask = withoutGrad { condition.cast(to: .float32).broadcast(to: shape).notEqual(Tensor(0)) }
        let va = withoutGrad { a.broadcast(to: shape) }, vb = withoutGrad { b.broadcast(to: shape) }
        let out = Tensor(uninitializedShape: shape)
        let m = mask.storage.floats, pa = va.storage.floats, pb = vb.storage.floats, o = out.storage.floats
        for i in 0..<out.count { o[i] = m[i] != 0 ? pa[i] : pb[i] }
        let sa = a.shape, sb = b.shape
        return record(out, op: "where", inputs: [a, b]) { g in
            [(g * mask).reduced(toShape: sa), (g * (1 - mask)).reduced(toShape: sb)]
        }
    }
}

extension Tensor {
    /// Picks `a` where `condition` is non-zero and the constant `b` elsewhere (broadcasting).
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Float) -> Tensor {
        Tensor.where(condition, a, Tensor(b))
    }

    /// Picks the constant `a` where `condition` is non-zero and `b` elsewhere (broadcasting).
    public static func `where`(_ condition: Tensor, _ a: Float, _ b: Tensor) -> Tensor {
        Tensor.where(condition, Tensor(a), b)
    }
}
