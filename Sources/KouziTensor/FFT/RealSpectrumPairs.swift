/// The pairing step of a real transform of even length n = 2h: bins f and h - f of the half-length
/// complex spectrum combine into bins f and h - f of the real spectrum (forward), or back (inverse).

/// How bins f and h - f combine, given w = e^{-2πi·f/n}; returns the new values at f and at h - f.
protocol SpectrumPairRule {
    func apply<V: FFTLanes>(_ a: ComplexLanes<V>, _ b: ComplexLanes<V>, _ w: ComplexLanes<V>) -> (ComplexLanes<V>, ComplexLanes<V>)
}

/// Forward: from Z[f], Z[h-f] to X[f] = E + w·O and X[h-f] = conj(E - w·O), where
/// E = (Z[f] + conj Z[h-f]) / 2 and O = -i·(Z[f] - conj Z[h-f]) / 2.
struct Untangle: SpectrumPairRule {
    @inline(__always)
    func apply<V: FFTLanes>(_ a: ComplexLanes<V>, _ b: ComplexLanes<V>, _ w: ComplexLanes<V>) -> (ComplexLanes<V>, ComplexLanes<V>) {
        let bc = b.conjugate
        let e = (a + bc).scaled(0.5), wo = w.times((a - bc).timesMinusI.scaled(0.5))
        return (e + wo, (e - wo).conjugate)
    }
}

/// Inverse: from X[f], X[h-f] to Z[f] = (E' + i·O') / 2 and Z[h-f] = (conj E' + i·conj O') / 2, where
/// E' = X[f] + conj X[h-f] and O' = (X[f] - conj X[h-f])·conj w.
struct Tangle: SpectrumPairRule {
    @inline(__always)
    func apply<V: FFTLanes>(_ a: ComplexLanes<V>, _ b: ComplexLanes<V>, _ w: ComplexLanes<V>) -> (ComplexLanes<V>, ComplexLanes<V>) {
        let bc = b.conjugate
        let e = a + bc, o = (a - bc).times(w.conjugate)
        return ((e + o.timesI).scaled(0.5), (e.conjugate + o.conjugate.timesI).scaled(0.5))
    }
}

/// Where the bins of a pairing step are read or written, `width` consecutive bins at a time.
protocol SpectrumBins {
    func load<V: FFTLanes>(_ at: Int) -> ComplexLanes<V>
    func store<V: FFTLanes>(_ at: Int, _ v: ComplexLanes<V>)
}

/// Bins interleaved as (real, imaginary) pairs.
struct InterleavedBins: SpectrumBins {
    let base: UnsafeMutablePointer<Float>
    init(_ base: UnsafeMutablePointer<Float>) { self.base = base }

    @inline(__always)
    func load<V: FFTLanes>(_ at: Int) -> ComplexLanes<V> {
        let (re, im) = V.loadComplex(base + 2 * at)
        return ComplexLanes(re, im)
    }

    @inline(__always)
    func store<V: FFTLanes>(_ at: Int, _ v: ComplexLanes<V>) { V.storeComplex(v.re, v.im, base + 2 * at) }
}

/// Bins held as separate real and imaginary arrays, optionally stored conjugated.
struct SplitBins: SpectrumBins {
    let re: UnsafeMutablePointer<Float>
    let im: UnsafeMutablePointer<Float>
    var conjugated = false

    init(re: UnsafeMutablePointer<Float>, im: UnsafeMutablePointer<Float>, conjugated: Bool = false) {
        self.re = re
        self.im = im
        self.conjugated = conjugated
    }

    init(_ split: SplitComplex) { self.init(re: split.re, im: split.im) }

    @inline(__always)
    func load<V: FFTLanes>(_ at: Int) -> ComplexLanes<V> { ComplexLanes(V(contiguous: re + at), V(contiguous: im + at)) }

    @inline(__always)
    func store<V: FFTLanes>(_ at: Int, _ v: ComplexLanes<V>) {
        let out = conjugated ? v.conjugate : v
        out.re.store(contiguous: re + at)
        out.im.store(contiguous: im + at)
    }
}

/// Applies `rule` to the pairs (f, h - f), f in 1...h/2, reading `source` and writing `destination` (a
/// different buffer): blocks of eight pairs from both ends towards the middle, the last block shifted
/// back to end at h/2 (it recomputes a few pairs from the unchanged source); below h = 16 one pair at
/// a time. `twRe`/`twIm` hold e^{-2πi·f/n} for f in 0...h/2.
func forEachBinPair<R: SpectrumPairRule, S: SpectrumBins, D: SpectrumBins>(
    _ rule: R, from source: S, to destination: D, _ h: Int, _ twRe: UnsafePointer<Float>, _ twIm: UnsafePointer<Float>) {
    if h >= 16 {
        binPairs(rule, source, destination, h, twRe, twIm, SIMD8<Float>.self)
    } else if h >= 2 {
        binPairs(rule, source, destination, h, twRe, twIm, Float.self)
    }
}

@inline(__always)
private func binPairs<R: SpectrumPairRule, S: SpectrumBins, D: SpectrumBins, V: FFTLanes>(
    _ rule: R, _ source: S, _ destination: D, _ h: Int, _ twRe: UnsafePointer<Float>, _ twIm: UnsafePointer<Float>,
    _: V.Type) {
    let w = V.width, last = h / 2 - w + 1
    var f = 1
    while true {
        let at = Swift.min(f, last), back = h - at - w + 1
        let a: ComplexLanes<V> = source.load(at), b: ComplexLanes<V> = source.load(back)
        let (x, y) = rule.apply(a, b.reversedLanes, ComplexLanes(V(contiguous: twRe + at), V(contiguous: twIm + at)))
        destination.store(back, y.reversedLanes)
        destination.store(at, x)   // last, so that f wins where f = h - f
        if at == last { return }
        f += w
    }
}
