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
        let h = n / 2
        if complex.transformsSplit {
            // The samples read as h complex numbers x[2k] + i·x[2k+1], split into the scratch.
            for k in 0..<h { scratch[k] = input[2 * k]; scratch[h + k] = input[2 * k + 1] }
            let z = complex.transformSplit(scratch: scratch)
            untangle(SplitBins(z), z.re[0], z.im[0], output)
        } else {
            let z = scratch
            complex.transform(input, z, scratch: scratch + n, conjugate: false, scale: 1)
            untangle(InterleavedBins(z), z[0], z[1], output)
        }
    }

    /// Writes the n/2 + 1 bins of the real transform from the half-length spectrum Z (`z0` = Z[0]).
    private func untangle<S: SpectrumBins>(_ z: S, _ z0r: Float, _ z0i: Float, _ output: UnsafeMutablePointer<Float>) {
        let h = size / 2
        output[0] = z0r + z0i; output[1] = 0
        output[2 * h] = z0r - z0i; output[2 * h + 1] = 0
        withTwiddles { forEachBinPair(Untangle(), from: z, to: InterleavedBins(output), h, $0, $1) }
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
        let h = n / 2, bins = InterleavedBins(UnsafeMutablePointer(mutating: input))
        let dc = input[0], nyquist = input[2 * h]
        let z0r = 0.5 * (dc + nyquist), z0i = 0.5 * (dc - nyquist)
        if complex.transformsSplit {
            // conj Z goes split into the scratch; the forward transform of it is the conjugated inverse.
            scratch[0] = z0r; scratch[h] = -z0i
            withTwiddles { forEachBinPair(Tangle(), from: bins, to: SplitBins(re: scratch, im: scratch + h, conjugated: true), h, $0, $1) }
            let x = complex.transformSplit(scratch: scratch)
            let scale = 1 / Float(h)
            for k in 0..<h { output[2 * k] = x.re[k] * scale; output[2 * k + 1] = -x.im[k] * scale }
        } else {
            let z = scratch
            z[0] = z0r; z[1] = z0i
            withTwiddles { forEachBinPair(Tangle(), from: bins, to: InterleavedBins(z), h, $0, $1) }
            // The samples come out as h interleaved complex numbers x[2k] + i·x[2k+1].
            complex.transform(z, output, scratch: scratch + n, conjugate: true, scale: 1 / Float(h))
        }
    }

    /// Calls `body` with the twiddle tables.
    private func withTwiddles(_ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> Void) {
        twiddleRe.withUnsafeBufferPointer { re in twiddleIm.withUnsafeBufferPointer { im in body(re.baseAddress!, im.baseAddress!) } }
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
