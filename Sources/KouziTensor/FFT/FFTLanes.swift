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
}

/// Complex numbers held as two bundles of lanes (real parts, imaginary parts).
struct ComplexLanes<V: FFTLanes> {
    var re: V
    var im: V

    @inline(__always)     init(_ re: V, _ im: V) { self.re = re; self.im = im }

    @inline(__always)     static func + (a: Self, b: Self) -> Self { Self(a.re.adding(b.re), a.im.adding(b.im)) }

    @inline(__always)     static func - (a: Self, b: Self) -> Self { Self(a.re.subtracting(b.re), a.im.subtracting(b.im)) }

    /// The product with another complex bundle.
    @inline(__always)     func times(_ w: Self) -> Self {
        Self(re.multiplying(w.re).subtracting(im.multiplying(w.im)), re.multiplying(w.im).adding(im.multiplying(w.re)))
    }

    /// The product with a real scalar.
    @inline(__always)     func scaled(_ s: Float) -> Self { Self(re.scaled(s), im.scaled(s)) }

    /// `-i · self`.
    @inline(__always)     var timesMinusI: Self { Self(im, V(repeating: 0).subtracting(re)) }
}
