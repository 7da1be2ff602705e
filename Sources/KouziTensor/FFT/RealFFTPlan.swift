#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A precomputed real discrete Fourier transform of one length (NumPy's `rfft` and `irfft`).
///
/// ``forward(_:_:scratch:)`` maps `size` real samples to the `size / 2 + 1` non-negative frequency bins,
/// interleaved as (real, imaginary) pairs; ``inverse(_:_:scratch:)`` maps those bins back to `size`
/// samples with the 1/n factor, ignoring the imaginary parts of the zero-frequency bin and (for even
/// sizes) of the Nyquist bin, as NumPy does.
///
/// An even length n runs one complex transform of n/2 points on the samples paired as
/// z[k] = x[2k] + i·x[2k+1] and untangles the even and odd halves afterwards:
/// X[f] = E[f] + e^{-2πi·f/n}·O[f] with E[f] = (Z[f] + conj Z[n/2-f]) / 2 and
/// O[f] = -i·(Z[f] - conj Z[n/2-f]) / 2. An odd length runs a complex transform of n points.
///
/// Immutable and safe to share between threads; each call brings ``scratchCount`` floats of scratch.
public final class RealFFTPlan: @unchecked Sendable {
    /// The number of real samples.
    public let size: Int
    /// The number of complex bins, `size / 2 + 1`.
    public var bins: Int { size / 2 + 1 }
    /// Floats of scratch memory one call needs.
    public let scratchCount: Int

    /// The complex plan: n/2 points for even n, n points for odd n.
    private let complex: FFTPlan
    /// e^{-2πi·f/n} for f in 0...n/4 (even n): real parts, imaginary parts.
    private let twiddleRe: [Float], twiddleIm: [Float]

    /// Plans the real transform of `size` samples.
    ///
    /// - Precondition: `size >= 1`.
    public init(size n: Int) {
        precondition(n >= 1, "RealFFTPlan: size must be at least 1, got \(n)")
        size = n
        if n % 2 == 0 {
            let h = n / 2
            complex = FFTPlan.cached(size: h)
            let angles = (0...(h / 2)).map { -2 * Double.pi * Double($0) / Double(n) }
            twiddleRe = angles.map { Float(cos($0)) }
            twiddleIm = angles.map { Float(sin($0)) }
            scratchCount = n + complex.scratchCount   // Z (forward) or the tangled bins (inverse)
        } else {
            complex = FFTPlan.cached(size: n)
            twiddleRe = []
            twiddleIm = []
            scratchCount = 4 * n + complex.scratchCount
        }
    }

    /// The `bins` complex bins of the `size` real samples at `input`, written to `output` (2·bins floats).
    public func forward(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                        scratch: UnsafeMutablePointer<Float>) {
        let n = size
        if n % 2 == 1 {
            let z = scratch, spectrum = scratch + 2 * n
            for t in 0..<n { z[2 * t] = input[t]; z[2 * t + 1] = 0 }
            complex.transform(z, spectrum, scratch: scratch + 4 * n, conjugate: false, scale: 1)
            output.update(from: spectrum, count: 2 * bins)
            return
        }
        let h = n / 2, z = scratch
        // The samples read as h interleaved complex numbers; their spectrum Z goes to the scratch.
        complex.transform(input, z, scratch: scratch + n, conjugate: false, scale: 1)
        output[0] = z[0] + z[1]; output[1] = 0
        output[2 * h] = z[0] - z[1]; output[2 * h + 1] = 0
        forEachPair(Untangle(), z, output, h)
    }

    /// The `size` real samples (with the 1/n factor) of the `bins` complex bins at `input`.
    public func inverse(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                        scratch: UnsafeMutablePointer<Float>) {
        let n = size
        if n % 2 == 1 {
            let z = scratch, samples = scratch + 2 * n
            z[0] = input[0]; z[1] = 0
            for f in 1..<bins {
                z[2 * f] = input[2 * f]; z[2 * f + 1] = input[2 * f + 1]
                z[2 * (n - f)] = input[2 * f]; z[2 * (n - f) + 1] = -input[2 * f + 1]
            }
            complex.transform(z, samples, scratch: scratch + 4 * n, conjugate: true, scale: 1 / Float(n))
            for t in 0..<n { output[t] = samples[2 * t] }
            return
        }
        let h = n / 2, z = scratch
        let dc = input[0], nyquist = input[2 * h]
        z[0] = 0.5 * (dc + nyquist); z[1] = 0.5 * (dc - nyquist)
        forEachPair(Tangle(), input, z, h)
        // The samples come out as h interleaved complex numbers x[2k] + i·x[2k+1].
        complex.transform(z, output, scratch: scratch + n, conjugate: true, scale: 1 / Float(h))
    }

    /// Applies `rule` to the pairs of bins (f, h - f), f in 1...h/2, of the h interleaved complex numbers
    /// at `src`, writing to another buffer `dst`: blocks of eight pairs from both ends towards the
    /// middle, the last block shifted back to end at h/2 (it recomputes a few pairs from the unchanged
    /// source); lengths below 16 one pair at a time.
    private func forEachPair<R: SpectrumPairRule>(_ rule: R, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                                                  _ h: Int) {
        twiddleRe.withUnsafeBufferPointer { twRe in
            twiddleIm.withUnsafeBufferPointer { twIm in
                if h >= 16 {
                    pairs(rule, src, dst, h, twRe.baseAddress!, twIm.baseAddress!, SIMD8<Float>.self)
                } else if h >= 2 {
                    pairs(rule, src, dst, h, twRe.baseAddress!, twIm.baseAddress!, Float.self)
                }
            }
        }
    }

    /// The pairs with lanes of `V` (h/2 ≥ width).
    @inline(__always)
    private func pairs<R: SpectrumPairRule, V: FFTLanes>(_ rule: R, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                                                         _ h: Int, _ twRe: UnsafePointer<Float>, _ twIm: UnsafePointer<Float>,
                                                         _: V.Type) {
        let w = V.width, last = h / 2 - w + 1
        var f = 1
        while true {
            let at = Swift.min(f, last), back = 2 * (h - at - w + 1)
            let a = V.loadComplex(src + 2 * at), b = V.loadComplex(src + back)
            let (x, y) = rule.apply(ComplexLanes(a.re, a.im), ComplexLanes(b.re, b.im).reversedLanes,
                                    ComplexLanes(V(contiguous: twRe + at), V(contiguous: twIm + at)))
            let yr = y.reversedLanes
            V.storeComplex(yr.re, yr.im, dst + back)
            V.storeComplex(x.re, x.im, dst + 2 * at)   // last, so that f wins where f = h - f
            if at == last { return }
            f += w
        }
    }

    /// The forward transform with scratch memory allocated for this call.
    public func forward(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { forward(input, output, scratch: $0.baseAddress!) }
    }

    /// The inverse transform with scratch memory allocated for this call.
    public func inverse(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { inverse(input, output, scratch: $0.baseAddress!) }
    }
}

/// How a real transform combines the bins f and h - f of the half-length complex spectrum, given
/// w = e^{-2πi·f/n}; returns the new values at f and at h - f.
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
