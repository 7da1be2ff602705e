/// A binary elementwise kernel with a vector and a scalar form.
@usableFromInline
protocol BinaryKernel {
    static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float>
    static func apply(_ a: Float, _ b: Float) -> Float
}

@usableFromInline enum AddKernel: BinaryKernel {
    @inlinable static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a + b }
    @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a + b }
}
@usableFromInline enum SubKernel: BinaryKernel {
    @inlinable static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a - b }
    @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a - b }
}
@usableFromInline enum MulKernel: BinaryKernel {
    @inlinable static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a * b }
    @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a * b }
}
@usableFromInline enum DivKernel: BinaryKernel {
    @inlinable static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a / b }
    @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a / b }
}
@usableFromInline enum MaxKernel: BinaryKernel {
    @inlinable static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .> a) }
    @inlinable static func apply(_ a: Float, _ b: Float) -> Float { b > a ? b : a }
}
@usableFromInline enum MinKernel: BinaryKernel {
    @inlinable static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .< a) }
    @inlinable static func apply(_ a: Float, _ b: Float) -> Float { b < a ? b : a }
}

extension Tensor {
    /// Applies a binary kernel with NumPy broadcasting; the result is a new contiguous tensor.
    @inlinable
    static func broadcastBinary<K: BinaryKernel>(_ a: Tensor, _ b: Tensor, _: K.Type, op: String) -> Tensor {
        precondition(a.dtype == .float32 && b.dtype == .float32, "\(op): expected float32 tensors, got \(a.dtype) and \(b.dtype)")
        if a.shape == b.shape {
            let out = Tensor(uninitializedShape: a.shape)
            zipFloats(a.count, a.storage.floats, b.storage.floats, out.storage.floats, K.apply, K.apply)
            return out
        }
        guard let shape = Shape.broadcast(a.shape, b.shape) else {
            preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) cannot be broadcast together")
        }
        let out = Tensor(uninitializedShape: shape)
        let o = out.storage.floats, pa = a.storage.floats, pb = b.storage.floats
        if b.count == 1 {
            let s = pb[0], v = SIMD8<Float>(repeating: s)
            if a.count == out.count { mapFloats(a.count, pa, o, { K.apply($0, v) }, { K.apply($0, s) }); return out }
        }
        if a.count == 1 {
            let s = pa[0], v = SIMD8<Float>(repeating: s)
            if b.count == out.count { mapFloats(b.count, pb, o, { K.apply(v, $0) }, { K.apply(s, $0) }); return out }
        }
        let sa = Shape.broadcastStrides(a.shape, to: shape)
        let sb = Shape.broadcastStrides(b.shape, to: shape)
        let inner = shape.last ?? 1
        let ia = sa.last ?? 0, ib = sb.last ?? 0
        forEachRow(shape: shape, strides: sa, sb) { oo, ao, bo in
            let dst = o + oo
            switch (ia != 0, ib != 0) {
            case (true, true): zipFloats(inner, pa + ao, pb + bo, dst, K.apply, K.apply)
            case (true, false):
                let s = pb[bo], v = SIMD8<Float>(repeating: s)
                mapFloats(inner, pa + ao, dst, { K.apply($0, v) }, { K.apply($0, s) })
            case (false, true):
                let s = pa[ao], v = SIMD8<Float>(repeating: s)
                mapFloats(inner, pb + bo, dst, { K.apply(v, $0) }, { K.apply(s, $0) })
            case (false, false):
                let r = K.apply(pa[ao], pb[bo])
                for i in 0..<inner { dst[i] = r }
            }
        }
        return out
    }

    /// Applies a unary float kernel elementwise.
    @inlinable
    func mapKernel(_ vector: (SIMD8<Float>) -> SIMD8<Float>, _ scalar: (Float) -> Float) -> Tensor {
        precondition(dtype == .float32, "expected a float32 tensor, got \(dtype)")
        let out = Tensor(uninitializedShape: shape)
        mapFloats(count, storage.floats, out.storage.floats, vector, scalar)
        return out
    }

    /// Applies a binary float kernel to two tensors of the same shape.
    @inlinable
    func zipKernel(_ other: Tensor, _ vector: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>,
                   _ scalar: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "shapes \(shape) and \(other.shape) differ")
        let out = Tensor(uninitializedShape: shape)
        zipFloats(count, storage.floats, other.storage.floats, out.storage.floats, vector, scalar)
        return out
    }
}
