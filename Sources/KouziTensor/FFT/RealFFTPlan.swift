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
    /// e^{-2πi·f/n} for f in 0...n/4 (even n), interleaved.
    private let twiddles: [Float]

    /// Plans the real transform of `size` samples.
    ///
    /// - Precondition: `size >= 1`.
    public init(size n: Int) {
        precondition(n >= 1, "RealFFTPlan: size must be at least 1, got \(n)")
        size = n
        if n % 2 == 0 {
            let h = n / 2
            complex = FFTPlan.cached(size: h)
            var tw: [Float] = []
            for f in 0...(h / 2) {
                let angle = -2 * Double.pi * Double(f) / Double(n)
                tw += [Float(cos(angle)), Float(sin(angle))]
            }
            twiddles = tw
            scratchCount = n + complex.scratchCount
        } else {
            complex = FFTPlan.cached(size: n)
            twiddles = []
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
        let h = n / 2
        // The samples read as h interleaved complex numbers; the spectrum Z lands in `output`.
        complex.transform(input, output, scratch: scratch + n, conjugate: false, scale: 1)
        twiddles.withUnsafeBufferPointer { tw in
            let z0r = output[0], z0i = output[1]
            output[0] = z0r + z0i; output[1] = 0
            output[2 * h] = z0r - z0i; output[2 * h + 1] = 0
            if h < 2 { return }
            for f in 1...(h / 2) {
                let g = h - f
                let ar = output[2 * f], ai = output[2 * f + 1]
                let br = output[2 * g], bi = -output[2 * g + 1]            // conj Z[h-f]
                let er = 0.5 * (ar + br), ei = 0.5 * (ai + bi)              // E
                let or = 0.5 * (ai - bi), oi = -0.5 * (ar - br)             // O = -i(A - B)/2
                let wr = tw[2 * f], wi = tw[2 * f + 1]
                let pr = wr * or - wi * oi, pi = wr * oi + wi * or          // w·O
                output[2 * f] = er + pr; output[2 * f + 1] = ei + pi
                if g != f { output[2 * g] = er - pr; output[2 * g + 1] = -(ei - pi) }
            }
        }
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
        twiddles.withUnsafeBufferPointer { tw in
            let dc = input[0], nyquist = input[2 * h]
            z[0] = 0.5 * (dc + nyquist); z[1] = 0.5 * (dc - nyquist)
            if h < 2 { return }
            for f in 1...(h / 2) {
                let g = h - f
                let ar = input[2 * f], ai = input[2 * f + 1]
                let br = input[2 * g], bi = -input[2 * g + 1]               // conj X[h-f]
                let er = ar + br, ei = ai + bi                              // E' = X[f] + conj X[h-f]
                let dr = ar - br, di = ai - bi
                let wr = tw[2 * f], wi = -tw[2 * f + 1]                     // conj w
                let or = dr * wr - di * wi, oi = dr * wi + di * wr          // O' = (X[f] - conj X[h-f])·conj w
                // Z[f] = (E' + i·O') / 2 and Z[h-f] = (conj E' + i·conj O') / 2.
                z[2 * f] = 0.5 * (er - oi); z[2 * f + 1] = 0.5 * (ei + or)
                if g != f { z[2 * g] = 0.5 * (er + oi); z[2 * g + 1] = 0.5 * (or - ei) }
            }
        }
        // The samples come out as h interleaved complex numbers x[2k] + i·x[2k+1].
        complex.transform(z, output, scratch: scratch + n, conjugate: true, scale: 1 / Float(h))
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
