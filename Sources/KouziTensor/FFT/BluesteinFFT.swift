#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Bluestein's chirp-z algorithm: a DFT of any length n as a circular convolution of length M ≥ 2n - 1,
/// where M has only the factors 2, 3 and 5.
///
/// With the chirp c[k] = e^{-πi·k²/n}, the identity ft = (f² + t² - (f-t)²)/2 gives
/// X[f] = c[f] · Σ_t (x[t]·c[t]) · conj(c[f-t]); the sum is a convolution, computed with two
/// transforms of length M and the precomputed transform of the wrapped conj(c) (divided by M).
final class BluesteinFFT: @unchecked Sendable {
    let size: Int
    let inner: FFTPlan
    /// c[k] interleaved, k in 0..<n.
    private let chirp: UnsafeMutableBufferPointer<Float>
    /// The transform of the wrapped conj(c), divided by M, interleaved.
    private let kernel: UnsafeMutableBufferPointer<Float>
    let scratchCount: Int

    init(size n: Int) {
        size = n
        let m = BluesteinFFT.convolutionLength(atLeast: 2 * n - 1)
        inner = FFTPlan(size: m, allowBluestein: false)
        chirp = .allocate(capacity: 2 * n)
        kernel = .allocate(capacity: 2 * m)
        for k in 0..<n {
            // k² mod 2n keeps the angle exact for large k.
            let r = (k * k) % (2 * n)
            let angle = -Double.pi * Double(r) / Double(n)
            chirp[2 * k] = Float(cos(angle))
            chirp[2 * k + 1] = Float(sin(angle))
        }
        kernel.initialize(repeating: 0)
        for k in 0..<n {
            let re = chirp[2 * k], im = -chirp[2 * k + 1]
            kernel[2 * k] = re; kernel[2 * k + 1] = im
            if k > 0 { kernel[2 * (m - k)] = re; kernel[2 * (m - k) + 1] = im }
        }
        scratchCount = 2 * m + inner.scratchCount
        let base = kernel.baseAddress!
        withUnsafeTemporaryAllocation(of: Float.self, capacity: inner.scratchCount) { s in
            inner.transform(base, base, scratch: s.baseAddress!, conjugate: false, scale: 1 / Float(m))
        }
    }

    deinit {
        chirp.deallocate()
        kernel.deallocate()
    }

    /// The convolution length for at least `n` points: among the 2·3·5-smooth lengths in `n..<2n`, the
    /// one with the least work, estimated as length × number of passes (so 20480 = 8·8·8·4·5 beats
    /// 20250 = 2·3⁴·5³, whose eight passes cost more than its 1 % fewer points save).
    static func convolutionLength(atLeast n: Int) -> Int {
        var best = Int.max, bestCost = Int.max
        var p2 = 1
        while p2 < 2 * n {
            var p3 = p2
            while p3 < 2 * n {
                var p5 = p3
                while p5 < 2 * n {
                    if p5 >= n {
                        let cost = p5 * FFTPlan.radices(p5).count
                        if cost < bestCost || (cost == bestCost && p5 < best) { best = p5; bestCost = cost }
                    }
                    p5 *= 5
                }
                p3 *= 3
            }
            p2 *= 2
        }
        return best
    }

    /// output = scale · F(x), or scale · conj(F(conj x)) when `conjugate` (see ``FFTPlan``).
    func transform(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                   scratch: UnsafeMutablePointer<Float>, conjugate: Bool, scale: Float) {
        let n = size, m = inner.size
        let buf = scratch, innerScratch = scratch + 2 * m
        let c = UnsafePointer(chirp.baseAddress!), h = UnsafePointer(kernel.baseAddress!)
        let sign: Float = conjugate ? -1 : 1
        for k in 0..<n {
            let xr = input[2 * k], xi = sign * input[2 * k + 1]
            let cr = c[2 * k], ci = c[2 * k + 1]
            buf[2 * k] = xr * cr - xi * ci
            buf[2 * k + 1] = xr * ci + xi * cr
        }
        (buf + 2 * n).initialize(repeating: 0, count: 2 * (m - n))
        inner.transform(buf, buf, scratch: innerScratch, conjugate: false, scale: 1)
        for k in 0..<m {
            let ar = buf[2 * k], ai = buf[2 * k + 1], br = h[2 * k], bi = h[2 * k + 1]
            buf[2 * k] = ar * br - ai * bi
            buf[2 * k + 1] = ar * bi + ai * br
        }
        // The unnormalised inverse transform gives the convolution (the kernel carries the 1/M).
        inner.transform(buf, buf, scratch: innerScratch, conjugate: true, scale: 1)
        let imSign = sign * scale
        for k in 0..<n {
            let yr = buf[2 * k], yi = buf[2 * k + 1]
            let cr = c[2 * k], ci = c[2 * k + 1]
            output[2 * k] = (yr * cr - yi * ci) * scale
            output[2 * k + 1] = (yr * ci + yi * cr) * imSign
        }
    }
}
