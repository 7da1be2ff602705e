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
    /// Offset of this pass's twiddles in the plan's table: w^{jq} for q in 0..<m, j in 1..<p, at
    /// `q·(p-1) + j-1` (real parts in one table, imaginary parts in another).
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
    /// Runs the pass from `x` into `y` with the butterfly `b`, picking the widest lane bundle that fits.
    @inline(__always)
    func run<B: FFTButterfly>(_ b: B, _ x: SplitComplex, _ y: SplitComplex,
                              _ twRe: UnsafePointer<Float>, _ twIm: UnsafePointer<Float>) {
        if stride >= 8 { alongStride(b, x, y, twRe, twIm, SIMD8<Float>.self) }
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
            let tr = twRe + twiddleOffset + q * (p - 1), ti = twIm + twiddleOffset + q * (p - 1)
            var r = 0
            while r < s {
                let at = Swift.min(r, s - w)
                let i0 = src + at, o0 = dst + at
                b.apply({ (k: Int) -> ComplexLanes<V> in
                    ComplexLanes(V(contiguous: x.re + i0 + k * span), V(contiguous: x.im + i0 + k * span))
                }, { (j: Int, v: ComplexLanes<V>) in
                    var out = v
                    if q != 0 && j != 0 { out = v.times(ComplexLanes(V(repeating: tr[j - 1]), V(repeating: ti[j - 1]))) }
                    out.re.store(contiguous: y.re + o0 + j * s)
                    out.im.store(contiguous: y.im + o0 + j * s)
                })
                r += w
            }
        }
    }

    /// Lanes over consecutive butterflies q (small strides): loads step by s, stores by s·p, twiddles
    /// by p-1. With `Float` lanes this is the plain scalar loop.
    @inline(__always)
    private func alongButterflies<B: FFTButterfly, V: FFTLanes>(_ b: B, _ x: SplitComplex, _ y: SplitComplex,
                                                                _ twRe: UnsafePointer<Float>, _ twIm: UnsafePointer<Float>,
                                                                _: V.Type) {
        let p = radix, s = stride, w = V.width, span = s * m, tws = p - 1
        for r in 0..<s {
            var q = 0
            while q < m {
                let at = Swift.min(q, m - w)
                let i0 = r + s * at, o0 = r + s * p * at
                let tr = twRe + twiddleOffset + at * tws, ti = twIm + twiddleOffset + at * tws
                b.apply({ (k: Int) -> ComplexLanes<V> in
                    let off = i0 + k * span
                    return s == 1 ? ComplexLanes(V(contiguous: x.re + off), V(contiguous: x.im + off))
                        : ComplexLanes(V(strided: x.re + off, stride: s), V(strided: x.im + off, stride: s))
                }, { (j: Int, v: ComplexLanes<V>) in
                    var out = v
                    if j != 0 { out = v.times(ComplexLanes(V(strided: tr + j - 1, stride: tws), V(strided: ti + j - 1, stride: tws))) }
                    out.re.store(strided: y.re + o0 + j * s, stride: s * p)
                    out.im.store(strided: y.im + o0 + j * s, stride: s * p)
                })
                q += w
            }
        }
    }
}
