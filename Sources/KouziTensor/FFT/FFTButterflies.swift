/// One radix-p butterfly of a forward FFT: reads the `radix` inputs `load(k)` and writes
/// `store(j, Σ_k input[k] · ω_p^{jk})` with ω_p = e^{-2πi/p}. The stage applies the twiddles.
protocol FFTButterfly {
    /// The number of inputs and outputs.
    var radix: Int { get }
    func apply<V: FFTLanes>(_ load: (Int) -> ComplexLanes<V>, _ store: (Int, ComplexLanes<V>) -> Void)
}

/// The radix-2 butterfly.
struct Radix2: FFTButterfly {
    var radix: Int { 2 }
    @inline(__always)
    func apply<V: FFTLanes>(_ load: (Int) -> ComplexLanes<V>, _ store: (Int, ComplexLanes<V>) -> Void) {
        let a0 = load(0), a1 = load(1)
        store(0, a0 + a1)
        store(1, a0 - a1)
    }
}

/// The radix-3 butterfly.
struct Radix3: FFTButterfly {
    var radix: Int { 3 }
    static let sin60: Float = 0.866_025_403_784_438_6
    @inline(__always)
    func apply<V: FFTLanes>(_ load: (Int) -> ComplexLanes<V>, _ store: (Int, ComplexLanes<V>) -> Void) {
        let a0 = load(0), a1 = load(1), a2 = load(2)
        let sum = a1 + a2
        let mid = a0 - sum.scaled(0.5)
        let rot = (a1 - a2).scaled(Radix3.sin60).timesMinusI
        store(0, a0 + sum)
        store(1, mid + rot)
        store(2, mid - rot)
    }
}

/// The radix-4 butterfly.
struct Radix4: FFTButterfly {
    var radix: Int { 4 }
    @inline(__always)
    func apply<V: FFTLanes>(_ load: (Int) -> ComplexLanes<V>, _ store: (Int, ComplexLanes<V>) -> Void) {
        let (y0, y1, y2, y3) = Radix4.dft(load(0), load(1), load(2), load(3))
        store(0, y0)
        store(1, y1)
        store(2, y2)
        store(3, y3)
    }

    /// The 4-point DFT of `(a0, a1, a2, a3)`.
    @inline(__always)
    static func dft<V: FFTLanes>(_ a0: ComplexLanes<V>, _ a1: ComplexLanes<V>, _ a2: ComplexLanes<V>, _ a3: ComplexLanes<V>)
        -> (ComplexLanes<V>, ComplexLanes<V>, ComplexLanes<V>, ComplexLanes<V>) {
        let t0 = a0 + a2, t1 = a0 - a2, t2 = a1 + a3, t3 = (a1 - a3).timesMinusI
        return (t0 + t2, t1 + t3, t0 - t2, t1 - t3)
    }
}

/// The radix-5 butterfly.
struct Radix5: FFTButterfly {
    var radix: Int { 5 }
    static let c1: Float = 0.309_016_994_374_947_4   // cos 2π/5
    static let c2: Float = -0.809_016_994_374_947_5  // cos 4π/5
    static let s1: Float = 0.951_056_516_295_153_6   // sin 2π/5
    static let s2: Float = 0.587_785_252_292_473_1   // sin 4π/5
    @inline(__always)
    func apply<V: FFTLanes>(_ load: (Int) -> ComplexLanes<V>, _ store: (Int, ComplexLanes<V>) -> Void) {
        let a0 = load(0), a1 = load(1), a2 = load(2), a3 = load(3), a4 = load(4)
        let b1 = a1 + a4, b2 = a2 + a3, d1 = a1 - a4, d2 = a2 - a3
        let r1 = a0 + b1.scaled(Radix5.c1) + b2.scaled(Radix5.c2)
        let r2 = a0 + b1.scaled(Radix5.c2) + b2.scaled(Radix5.c1)
        let i1 = (d1.scaled(Radix5.s1) + d2.scaled(Radix5.s2)).timesMinusI
        let i2 = (d1.scaled(Radix5.s2) - d2.scaled(Radix5.s1)).timesMinusI
        store(0, a0 + b1 + b2)
        store(1, r1 + i1)
        store(2, r2 + i2)
        store(3, r2 - i2)
        store(4, r1 - i1)
    }
}

/// The radix-8 butterfly: two 4-point DFTs joined with the eighth roots of unity.
struct Radix8: FFTButterfly {
    var radix: Int { 8 }
    static let half: Float = 0.707_106_781_186_547_6
    @inline(__always)
    func apply<V: FFTLanes>(_ load: (Int) -> ComplexLanes<V>, _ store: (Int, ComplexLanes<V>) -> Void) {
        let (e0, e1, e2, e3) = Radix4.dft(load(0), load(2), load(4), load(6))
        let (o0, o1r, o2r, o3r) = Radix4.dft(load(1), load(3), load(5), load(7))
        let h = Radix8.half
        // ω8 = (1 - i)/√2, ω8² = -i, ω8³ = (-1 - i)/√2.
        let o1 = ComplexLanes(o1r.re.adding(o1r.im).scaled(h), o1r.im.subtracting(o1r.re).scaled(h))
        let o2 = o2r.timesMinusI
        let o3 = ComplexLanes(o3r.im.subtracting(o3r.re).scaled(h), o3r.re.adding(o3r.im).scaled(-h))
        store(0, e0 + o0)
        store(1, e1 + o1)
        store(2, e2 + o2)
        store(3, e3 + o3)
        store(4, e0 - o0)
        store(5, e1 - o1)
        store(6, e2 - o2)
        store(7, e3 - o3)
    }
}

/// A butterfly of any odd radix p, in O(p²) operations using the symmetry of ω_p^{jk} and ω_p^{j(p-k)}.
///
/// `cosines[t]` and `sines[t]` hold cos(2πt/p) and sin(2πt/p); `temp` has room for 4·((p-1)/2) bundles
/// of the widest lane type (the caller's scratch, so that concurrent transforms do not share it).
struct OddRadix: FFTButterfly {
    let radix: Int
    let cosines: UnsafePointer<Float>
    let sines: UnsafePointer<Float>
    let temp: UnsafeMutablePointer<Float>

    @inline(__always)
    func apply<V: FFTLanes>(_ load: (Int) -> ComplexLanes<V>, _ store: (Int, ComplexLanes<V>) -> Void) {
        let p = radix, half = (p - 1) / 2, w = V.width
        let sums = temp, diffs = temp + 2 * half * w
        let a0 = load(0)
        var y0 = a0
        for k in 1...half {
            let a = load(k), b = load(p - k)
            let s = a + b, d = a - b
            y0 = y0 + s
            s.re.store(contiguous: sums + 2 * (k - 1) * w)
            s.im.store(contiguous: sums + (2 * k - 1) * w)
            d.re.store(contiguous: diffs + 2 * (k - 1) * w)
            d.im.store(contiguous: diffs + (2 * k - 1) * w)
        }
        store(0, y0)
        for j in 1...half {
            var re = a0.re, im = a0.im, sre = V(repeating: 0), sim = V(repeating: 0)
            var t = 0
            for k in 1...half {
                t += j
                if t >= p { t -= p }
                let c = cosines[t], sn = sines[t]
                re = re.adding(V(contiguous: sums + 2 * (k - 1) * w).scaled(c))
                im = im.adding(V(contiguous: sums + (2 * k - 1) * w).scaled(c))
                sre = sre.adding(V(contiguous: diffs + 2 * (k - 1) * w).scaled(sn))
                sim = sim.adding(V(contiguous: diffs + (2 * k - 1) * w).scaled(sn))
            }
            store(j, ComplexLanes(re.adding(sim), im.subtracting(sre)))
            store(p - j, ComplexLanes(re.subtracting(sim), im.adding(sre)))
        }
    }
}
