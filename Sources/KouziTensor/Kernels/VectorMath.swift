/// Vectorised transcendental functions on `SIMD8<Float>` (AVX2 with a release build).
///
/// The compiler never vectorises calls to libm, so the hot activations (exp, sigmoid, tanh) go
/// through these polynomial approximations, accurate to about 2 ulp over the float range.
@usableFromInline
enum VectorMath {
    @usableFromInline static let log2e: Float = 1.442_695_04
    @usableFromInline static let ln2Hi: Float = 0.693_359_375
    @usableFromInline static let ln2Lo: Float = -2.121_944_4e-4
    @usableFromInline static let roundMagic: Float = 12_582_912 // 1.5 * 2^23

    /// e^x for each lane; underflows to 0 below -87.3 and saturates to +inf above 88.7.
    @inlinable @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let xc = clamp(x, -87.3, 88.7)
        // n = round(x / ln2) via the 1.5·2^23 trick (pure vector arithmetic).
        let t = xc * log2e + roundMagic
        let n = t - roundMagic
        let r = xc - n * ln2Hi - n * ln2Lo
        // e^r on [-ln2/2, ln2/2], Taylor to degree 7 (error < 1e-8).
        var p = SIMD8<Float>(repeating: 1.0 / 5040)
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let ni = unsafeBitCast(t, to: SIMD8<Int32>.self) &- unsafeBitCast(SIMD8<Float>(repeating: roundMagic), to: SIMD8<Int32>.self)
        let scale = unsafeBitCast((ni &+ 127) &<< 23, to: SIMD8<Float>.self)
        var result = p * scale
        result.replace(with: .infinity, where: x .> 88.7)
        result.replace(with: 0, where: x .< -87.3)
        return result
    }

    /// Logistic sigmoid 1 / (1 + e^-x).
    @inlinable @inline(__always)
    static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        1 / (1 + exp(-x))
    }

    /// Hyperbolic tangent; odd polynomial near zero, exponential form elsewhere.
    @inlinable @inline(__always)
    static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let ax = abs(x)
        let e = exp(-2 * ax)
        var big = (1 - e) / (1 + e)
        big.replace(with: -big, where: x .< 0)
        let x2 = x * x
        var p = SIMD8<Float>(repeating: 62.0 / 2835)
        p = p * x2 - 17.0 / 315
        p = p * x2 + 2.0 / 15
        p = p * x2 - 1.0 / 3
        let small = x + x * x2 * p
        return small.replacing(with: big, where: ax .> 0.25)
    }

    /// Lane-wise clamp written with masks (the generic `SIMD.clamped` is not specialised here).
    @inlinable @inline(__always)
    static func clamp(_ x: SIMD8<Float>, _ lo: Float, _ hi: Float) -> SIMD8<Float> {
        let l = SIMD8<Float>(repeating: lo), h = SIMD8<Float>(repeating: hi)
        return x.replacing(with: l, where: x .< l).replacing(with: h, where: x .> h)
    }

    @inlinable @inline(__always)
    static func abs(_ x: SIMD8<Float>) -> SIMD8<Float> {
        unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
    }

    /// Scalar versions that share the vector code path (so both give identical results).
    @inlinable static func exp(_ x: Float) -> Float { exp(SIMD8(repeating: x))[0] }
    @inlinable static func sigmoid(_ x: Float) -> Float { sigmoid(SIMD8(repeating: x))[0] }
    @inlinable static func tanh(_ x: Float) -> Float { tanh(SIMD8(repeating: x))[0] }
}

/// Applies `vector` to 8 lanes at a time and `scalar` to the tail.
@inlinable @inline(__always)
func mapFloats(_ n: Int, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
               _ vector: (SIMD8<Float>) -> SIMD8<Float>, _ scalar: (Float) -> Float) {
    var i = 0
    let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
    while i + 8 <= n {
        let v = s.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        d.storeBytes(of: vector(v), toByteOffset: i * 4, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n { dst[i] = scalar(src[i]); i += 1 }
}

/// Applies `vector` to pairs of 8 lanes at a time and `scalar` to the tail.
@inlinable @inline(__always)
func zipFloats(_ n: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
               _ vector: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>, _ scalar: (Float, Float) -> Float) {
    var i = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b), d = UnsafeMutableRawPointer(dst)
    while i + 8 <= n {
        let va = ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        let vb = rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        d.storeBytes(of: vector(va, vb), toByteOffset: i * 4, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n { dst[i] = scalar(a[i], b[i]); i += 1 }
}

/// Sum of `n` floats with four independent SIMD8 accumulators.
@inlinable
func sumFloats(_ n: Int, _ p: UnsafePointer<Float>, stride: Int = 1) -> Float {
    if stride != 1 {
        var s: Float = 0
        for i in 0..<n { s += p[i * stride] }
        return s
    }
    let r = UnsafeRawPointer(p)
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    var i = 0
    while i + 32 <= n {
        a0 += r.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        a1 += r.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
        a2 += r.loadUnaligned(fromByteOffset: (i + 16) * 4, as: SIMD8<Float>.self)
        a3 += r.loadUnaligned(fromByteOffset: (i + 24) * 4, as: SIMD8<Float>.self)
        i += 32
    }
    while i + 8 <= n {
        a0 += r.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        i += 8
    }
    var s = ((a0 + a1) + (a2 + a3)).sum()
    while i < n { s += p[i]; i += 1 }
    return s
}
