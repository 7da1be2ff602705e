/// A bundle of `width` floats that the FFT butterflies process together: a plain `Float` for the
/// scalar paths, `SIMD4<Float>` and `SIMD8<Float>` for the vector paths.
///
/// The butterflies are written once, generic over the lane type, and specialised by the compiler. The
/// arithmetic requirements are named methods rather than operators, so that they never join the
/// overloads of `+` or `*` that other code on `Float` and `SIMD8<Float>` resolves.
protocol FFTLanes {
    /// Floats per bundle.
    static var width: Int { get }
    /// Every lane set to `value`.
    init(repeating value: Float)
    /// `width` consecutive floats starting at `p`.
    init(contiguous p: UnsafePointer<Float>)
    /// `width` floats `p[0], p[stride], p[2 * stride], …`.
    init(strided p: UnsafePointer<Float>, stride: Int)
    /// Writes the lanes to `width` consecutive floats.
    func store(contiguous p: UnsafeMutablePointer<Float>)
    /// Writes the lanes to `p[0], p[stride], …`.
    func store(strided p: UnsafeMutablePointer<Float>, stride: Int)
    /// Lane-wise `self + b`.
    func adding(_ b: Self) -> Self
    /// Lane-wise `self - b`.
    func subtracting(_ b: Self) -> Self
    /// Lane-wise `self * b`.
    func multiplying(_ b: Self) -> Self
    /// Every lane times `s`.
    func scaled(_ s: Float) -> Self
    /// The lanes in reverse order.
    var reversedLanes: Self { get }
    /// `width` interleaved complex numbers at `p`, split into real and imaginary parts.
    static func loadComplex(_ p: UnsafePointer<Float>) -> (re: Self, im: Self)
    /// Writes `width` complex numbers interleaved to `p`.
    static func storeComplex(_ re: Self, _ im: Self, _ p: UnsafeMutablePointer<Float>)
}

extension Float: FFTLanes {
    static var width: Int { 1 }
    @inline(__always) init(repeating value: Float) { self = value }
    @inline(__always) init(contiguous p: UnsafePointer<Float>) { self = p.pointee }
    @inline(__always) init(strided p: UnsafePointer<Float>, stride: Int) { self = p.pointee }
    @inline(__always) func store(contiguous p: UnsafeMutablePointer<Float>) { p.pointee = self }
    @inline(__always) func store(strided p: UnsafeMutablePointer<Float>, stride: Int) { p.pointee = self }
    @inline(__always) func adding(_ b: Self) -> Self { self + b }
    @inline(__always) func subtracting(_ b: Self) -> Self { self - b }
    @inline(__always) func multiplying(_ b: Self) -> Self { self * b }
    @inline(__always) func scaled(_ s: Float) -> Self { self * s }
    @inline(__always) var reversedLanes: Self { self }
    @inline(__always) static func loadComplex(_ p: UnsafePointer<Float>) -> (re: Self, im: Self) { (p[0], p[1]) }
    @inline(__always) static func storeComplex(_ re: Self, _ im: Self, _ p: UnsafeMutablePointer<Float>) {
        p[0] = re; p[1] = im
    }
}

extension SIMD4: FFTLanes where Scalar == Float {
    static var width: Int { 4 }
    @inline(__always) init(contiguous p: UnsafePointer<Float>) {
        self = UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }
    @inline(__always) init(strided p: UnsafePointer<Float>, stride s: Int) {
        self.init(p[0], p[s], p[2 * s], p[3 * s])
    }
    @inline(__always) func store(contiguous p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD4<Float>.self)
    }
    @inline(__always) func store(strided p: UnsafeMutablePointer<Float>, stride s: Int) {
        p[0] = self[0]; p[s] = self[1]; p[2 * s] = self[2]; p[3 * s] = self[3]
    }
    @inline(__always) func adding(_ b: Self) -> Self { self + b }
    @inline(__always) func subtracting(_ b: Self) -> Self { self - b }
    @inline(__always) func multiplying(_ b: Self) -> Self { self * b }
    @inline(__always) func scaled(_ s: Float) -> Self { self * s }
    @inline(__always) var reversedLanes: Self { Self(self[3], self[2], self[1], self[0]) }
    @inline(__always) static func loadComplex(_ p: UnsafePointer<Float>) -> (re: Self, im: Self) {
        let w = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
        return (w.evenHalf, w.oddHalf)
    }
    @inline(__always) static func storeComplex(_ re: Self, _ im: Self, _ p: UnsafeMutablePointer<Float>) {
        let w = SIMD8<Float>(re[0], im[0], re[1], im[1], re[2], im[2], re[3], im[3])
        UnsafeMutableRawPointer(p).storeBytes(of: w, as: SIMD8<Float>.self)
    }
}

extension SIMD8: FFTLanes where Scalar == Float {
    static var width: Int { 8 }
    @inline(__always) init(contiguous p: UnsafePointer<Float>) {
        self = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) init(strided p: UnsafePointer<Float>, stride s: Int) {
        self.init(p[0], p[s], p[2 * s], p[3 * s], p[4 * s], p[5 * s], p[6 * s], p[7 * s])
    }
    @inline(__always) func store(contiguous p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD8<Float>.self)
    }
    @inline(__always) func store(strided p: UnsafeMutablePointer<Float>, stride s: Int) {
        for l in 0..<8 { p[l * s] = self[l] }
    }
    @inline(__always) func adding(_ b: Self) -> Self { self + b }
    @inline(__always) func subtracting(_ b: Self) -> Self { self - b }
    @inline(__always) func multiplying(_ b: Self) -> Self { self * b }
    @inline(__always) func scaled(_ s: Float) -> Self { self * s }
    @inline(__always) var reversedLanes: Self {
        Self(self[7], self[6], self[5], self[4], self[3], self[2], self[1], self[0])
    }
    @inline(__always) static func loadComplex(_ p: UnsafePointer<Float>) -> (re: Self, im: Self) {
        let w = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        return (w.evenHalf, w.oddHalf)
    }
    @inline(__always) static func storeComplex(_ re: Self, _ im: Self, _ p: UnsafeMutablePointer<Float>) {
        let w = SIMD16<Float>(re[0], im[0], re[1], im[1], re[2], im[2], re[3], im[3],
                              re[4], im[4], re[5], im[5], re[6], im[6], re[7], im[7])
        UnsafeMutableRawPointer(p).storeBytes(of: w, as: SIMD16<Float>.self)
    }
}

/// Complex numbers held as two bundles of lanes (real parts, imaginary parts).
struct ComplexLanes<V: FFTLanes> {
    var re: V
    var im: V

    @inline(__always)
    init(_ re: V, _ im: V) { self.re = re; self.im = im }

    @inline(__always)
    static func + (a: Self, b: Self) -> Self { Self(a.re.adding(b.re), a.im.adding(b.im)) }

    @inline(__always)
    static func - (a: Self, b: Self) -> Self { Self(a.re.subtracting(b.re), a.im.subtracting(b.im)) }

    /// The product with another complex bundle.
    @inline(__always)
    func times(_ w: Self) -> Self {
        Self(re.multiplying(w.re).subtracting(im.multiplying(w.im)), re.multiplying(w.im).adding(im.multiplying(w.re)))
    }

    /// The product with a real scalar.
    @inline(__always)
    func scaled(_ s: Float) -> Self { Self(re.scaled(s), im.scaled(s)) }

    /// `-i · self`.
    @inline(__always)
    var timesMinusI: Self { Self(im, V(repeating: 0).subtracting(re)) }

    /// `i · self`.
    @inline(__always)
    var timesI: Self { Self(V(repeating: 0).subtracting(im), re) }

    /// The complex conjugate.
    @inline(__always)
    var conjugate: Self { Self(re, V(repeating: 0).subtracting(im)) }

    /// The lanes in reverse order.
    @inline(__always)
    var reversedLanes: Self { Self(re.reversedLanes, im.reversedLanes) }
}
