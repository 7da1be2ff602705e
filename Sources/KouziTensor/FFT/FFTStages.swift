/// One pass of the mixed-radix Stockham FFT (decimation in frequency, self-sorting).
///
/// A transform of length n = p₀·p₁·…·p_{S-1} runs S passes. Pass i has radix p = pᵢ, stride
/// s = p₀·…·p_{i-1} and m = n / (s·p) butterflies per stride position: for q in 0..<m and r in 0..<s it
/// reads x[r + s·(q + m·k)] for k in 0..<p and writes
///
///     y[r + s·(p·q + j)] = w^{jq} · Σ_k x[r + s·(q + m·k)] · ω_p^{jk},   w = e^{-2πi/(p·m)},
///
/// so the output comes out in natural order without a bit-reversal pass. Data are split complex
/// (real parts, then imaginary parts), so bundles of consecutive r (or q) fill SIMD lanes directly.
struct FFTStage {
    let radix: Int
    let stride: Int
    let m: Int
    /// Offset of this pass's twiddles in the plan's table: w^{jq} for j in 1..<p, q in 0..<m, at
    /// `(j-1)·m + q` (real parts in one table, imaginary parts in another).
    let twiddleOffset: Int
    /// Offset of cos/sin(2πt/p) in the plan's odd-radix table (generic radices only).
    let rootOffset: Int
}

/// The split-complex buffers of one pass.
struct SplitComplex {
    let re: UnsafeMutablePointer<Float>
    let im: UnsafeMutablePointer<Float>
}

extension FFTStage {
    /// Runs the pass from `x` into `y` with the butterfly `b`, picking the widest lane bundle that fits;
    /// `temp` holds 128 floats for the transposing first pass.
    @inline(__always)
    func run<B: FFTButterfly>(_ b: B, _ x: SplitComplex, _ y: SplitComplex,
                              _ twRe: UnsafePointer<Float>, _ twIm: UnsafePointer<Float>, temp: UnsafeMutablePointer<Float>) {
        if stride == 1 && radix == 8 && m >= 8 { firstPassOfEight(b, x, y, twRe, twIm, temp) }
        else if stride >= 8 { alongStride(b, x, y, twRe, twIm, SIMD8<Float>.self) }
        else if stride >= 4 { alongStride(b, x, y, twRe, twIm, SIMD4<Float>.self) }
        else if m >= 8 { alongButterflies(b, x, y, twRe, twIm, SIMD8<Float>.self) }
        else if m >= 4 { alongButterflies(b, x, y, twRe, twIm, SIMD4<Float>.self) }
        else { alongButterflies(b, x, y, twRe, twIm, Float.self) }
    }

    /// Lanes over consecutive r (s ≥ lane width): contiguous loads and stores, one twiddle per bundle.
    /// A stride that is not a multiple of the width ends with an overlapping bundle (it recomputes
    /// outputs already written, with the same values).
    @inline(__always)
    private func alongStride<B: FFTButterfly, V: FFTLanes>(_ b: B, _ x: SplitComplex, _ y: SplitComplex,
                                                           _ twRe: UnsafePointer<Float>, _ twIm: UnsafePointer<Float>,
                                                           _: V.Type) {
        let p = radix, s = stride, w = V.width, span = s * m
        for q in 0..<m {
            let src = q * s, dst = q * s * p
            let tr = twRe + twiddleOffset + q, ti = twIm + twiddleOffset + q
            var r = 0
            while r < s {
                let at = Swift.min(r, s - w)
                let i0 = src + at, o0 = dst + at
                b.apply({ (k: Int) -> ComplexLanes<V> in
                    ComplexLanes(V(contiguous: x.re + i0 + k * span), V(contiguous: x.im + i0 + k * span))
                }, { (j: Int, v: ComplexLanes<V>) in
                    var out = v
                    if q != 0 && j != 0 { out = v.times(ComplexLanes(V(repeating: tr[(j - 1) * m]), V(repeating: ti[(j - 1) * m]))) }
                    out.re.store(contiguous: y.re + o0 + j * s)
                    out.im.store(contiguous: y.im + o0 + j * s)
                })
                r += w
            }
        }
    }

    /// Lanes over consecutive butterflies q (small strides): loads step by s, stores by s·p.
    /// With `Float` lanes this is the plain scalar loop.
    @inline(__always)
    private func alongButterflies<B: FFTButterfly, V: FFTLanes>(_ b: B, _ x: SplitComplex, _ y: SplitComplex,
                                                                _ twRe: UnsafePointer<Float>, _ twIm: UnsafePointer<Float>,
                                                                _: V.Type) {
        let p = radix, s = stride, w = V.width, span = s * m
        for r in 0..<s {
            var q = 0
            while q < m {
                let at = Swift.min(q, m - w)
                let i0 = r + s * at, o0 = r + s * p * at
                let tr = twRe + twiddleOffset + at, ti = twIm + twiddleOffset + at
                b.apply({ (k: Int) -> ComplexLanes<V> in
                    let off = i0 + k * span
                    return s == 1 ? ComplexLanes(V(contiguous: x.re + off), V(contiguous: x.im + off))
                        : ComplexLanes(V(strided: x.re + off, stride: s), V(strided: x.im + off, stride: s))
                }, { (j: Int, v: ComplexLanes<V>) in
                    var out = v
                    if j != 0 { out = v.times(ComplexLanes(V(contiguous: tr + (j - 1) * m), V(contiguous: ti + (j - 1) * m))) }
                    out.re.store(strided: y.re + o0 + j * s, stride: s * p)
                    out.im.store(strided: y.im + o0 + j * s, stride: s * p)
                })
                q += w
            }
        }
    }

    /// The first pass of a plan that starts with radix 8 (s = 1, m ≥ 8): lanes over eight consecutive
    /// butterflies q, contiguous loads and twiddles; the eight output bundles (one per j, lanes over q)
    /// are parked in `temp` and transposed in registers, so that y[8q + j] is written with eight
    /// contiguous stores instead of 64 scattered ones.
    @inline(__always)
    private func firstPassOfEight<B: FFTButterfly>(_ b: B, _ x: SplitComplex, _ y: SplitComplex,
                                                   _ twRe: UnsafePointer<Float>, _ twIm: UnsafePointer<Float>,
                                                   _ temp: UnsafeMutablePointer<Float>) {
        typealias V = SIMD8<Float>
        let span = m
        var q = 0
        while q < m {
            let at = Swift.min(q, m - 8)
            let tr = twRe + twiddleOffset + at, ti = twIm + twiddleOffset + at
            b.apply({ (k: Int) -> ComplexLanes<V> in
                ComplexLanes(V(contiguous: x.re + at + k * span), V(contiguous: x.im + at + k * span))
            }, { (j: Int, v: ComplexLanes<V>) in
                var out = v
                if j != 0 { out = v.times(ComplexLanes(V(contiguous: tr + (j - 1) * m), V(contiguous: ti + (j - 1) * m))) }
                out.re.store(contiguous: temp + 8 * j)
                out.im.store(contiguous: temp + 64 + 8 * j)
            })
            FFTStage.storeTransposed(temp, y.re + 8 * at)
            FFTStage.storeTransposed(temp + 64, y.im + 8 * at)
            q += 8
        }
    }

    /// Writes the transpose of the 8×8 block at `block` (row j = lanes over q) to `dst` (row q = lanes over j).
    ///
    /// Splitting the 64 values into even and odd positions rotates the six bits of a position (row,
    /// lane) right by one; three rounds swap row and lane.
    @inline(__always)
    static func storeTransposed(_ block: UnsafeMutablePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
        typealias V = SIMD8<Float>
        var v = (V(contiguous: block), V(contiguous: block + 8), V(contiguous: block + 16), V(contiguous: block + 24),
                 V(contiguous: block + 32), V(contiguous: block + 40), V(contiguous: block + 48), V(contiguous: block + 56))
        for _ in 0..<3 {
            let p0 = SIMD16(lowHalf: v.0, highHalf: v.1), p1 = SIMD16(lowHalf: v.2, highHalf: v.3)
            let p2 = SIMD16(lowHalf: v.4, highHalf: v.5), p3 = SIMD16(lowHalf: v.6, highHalf: v.7)
            v = (p0.evenHalf, p1.evenHalf, p2.evenHalf, p3.evenHalf, p0.oddHalf, p1.oddHalf, p2.oddHalf, p3.oddHalf)
        }
        v.0.store(contiguous: dst); v.1.store(contiguous: dst + 8); v.2.store(contiguous: dst + 16)
        v.3.store(contiguous: dst + 24); v.4.store(contiguous: dst + 32); v.5.store(contiguous: dst + 40)
        v.6.store(contiguous: dst + 48); v.7.store(contiguous: dst + 56)
    }
}
