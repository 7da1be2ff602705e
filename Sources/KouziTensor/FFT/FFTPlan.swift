#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A precomputed complex discrete Fourier transform of one length, for transforming many buffers.
///
/// Buffers hold `size` complex numbers interleaved as (real, imaginary) pairs of floats, the layout of a
/// tensor `[..., size, 2]`. ``forward(_:_:scratch:)`` computes X[f] = Σ_t x[t]·e^{-2πi·ft/n} (NumPy's
/// `fft`), ``inverse(_:_:scratch:)`` the inverse including the 1/n factor (NumPy's `ifft`).
///
/// Lengths whose prime factors are all at most 31 run a mixed-radix Stockham FFT (radices 8, 4, 2, 3,
/// 5 and a generic odd radix); lengths with a larger prime factor run Bluestein's algorithm on a
/// 2·3·5-smooth length of at least 2n - 1, so every length costs O(n log n). Twiddle factors are
/// computed in double precision and rounded once.
///
/// A plan is immutable after creation and may be used from several threads at once: each call
/// brings its own scratch memory of ``scratchCount`` floats (the overloads without `scratch`
/// allocate it per call). ``cached(size:)`` shares plans across the process.
///
/// ```swift
/// let plan = FFTPlan.cached(size: 512)
/// let scratch = UnsafeMutablePointer<Float>.allocate(capacity: plan.scratchCount)
/// defer { scratch.deallocate() }
/// for frame in frames { plan.forward(frame.input, frame.output, scratch: scratch) }
/// ```
public final class FFTPlan: @unchecked Sendable {
    /// The number of complex points transformed.
    public let size: Int
    /// Floats of scratch memory one call needs.
    public let scratchCount: Int

    let stages: [FFTStage]
    /// Stockham twiddles (real parts, then imaginary parts), allocated once.
    private let twiddles: UnsafeMutableBufferPointer<Float>
    private let twiddleCount: Int
    /// cos/sin(2πt/p) for each generic odd radix p (cosines, then sines, per radix).
    private let roots: [Float]
    /// Set when the length has a large prime factor.
    private let bluestein: BluesteinFFT?

    /// Prime factors above this run through Bluestein's algorithm instead of a generic butterfly.
    static let largestDirectPrime = 31
    /// Floats reserved in the scratch for the generic odd-radix butterfly's temporaries (also the
    /// 8×8 blocks of the transposing first pass).
    static let butterflyTemp = 4 * ((largestDirectPrime - 1) / 2) * 8

    /// Plans the transform of `size` complex points.
    ///
    /// - Precondition: `size >= 1`.
    public convenience init(size: Int) {
        self.init(size: size, allowBluestein: true)
    }

    init(size n: Int, allowBluestein: Bool) {
        precondition(n >= 1, "FFTPlan: size must be at least 1, got \(n)")
        size = n
        let radices = FFTPlan.radices(n)
        if allowBluestein, let largest = radices.max(), largest > FFTPlan.largestDirectPrime {
            let b = BluesteinFFT(size: n)
            bluestein = b
            stages = []
            twiddleCount = 0
            twiddles = .allocate(capacity: 0)
            roots = []
            scratchCount = b.scratchCount
            return
        }
        bluestein = nil
        var stages: [FFTStage] = [], offset = 0, rootOffset = 0, roots: [Float] = []
        var stride = 1
        for p in radices {
            let m = n / (stride * p)
            var ro = 0
            if p > 5 && p != 8 {
                ro = rootOffset
                let cs = (0..<p).map { Float(cos(2 * Double.pi * Double($0) / Double(p))) }
                let sn = (0..<p).map { Float(sin(2 * Double.pi * Double($0) / Double(p))) }
                roots += cs + sn
                rootOffset += 2 * p
            }
            stages.append(FFTStage(radix: p, stride: stride, m: m, twiddleOffset: offset, rootOffset: ro))
            offset += m * (p - 1)
            stride *= p
        }
        self.stages = stages
        self.roots = roots
        twiddleCount = offset
        twiddles = .allocate(capacity: Swift.max(2 * offset, 1))
        for st in stages {
            let p = st.radix, len = p * st.m
            for j in 1..<p {
                for q in 0..<st.m {
                    let angle = -2 * Double.pi * Double((j * q) % len) / Double(len)
                    twiddles[st.twiddleOffset + (j - 1) * st.m + q] = Float(cos(angle))
                    twiddles[offset + st.twiddleOffset + (j - 1) * st.m + q] = Float(sin(angle))
                }
            }
        }
        scratchCount = 4 * n + FFTPlan.butterflyTemp
    }

    deinit { twiddles.deallocate() }

    /// The radices of the passes: eights first, then fours and twos, then odd primes in increasing order.
    static func radices(_ n: Int) -> [Int] {
        var rest = n, twos = 0
        while rest % 2 == 0 { rest /= 2; twos += 1 }
        var out = [Int](repeating: 8, count: twos / 3)
        switch twos % 3 {
        case 1 where !out.isEmpty: out.removeLast(); out += [4, 4]
        case 1: out.append(2)
        case 2: out.append(4)
        default: break
        }
        var p = 3
        while rest > 1 {
            if p * p > rest { out.append(rest); break }
            while rest % p == 0 { out.append(p); rest /= p }
            p += 2
        }
        return out
    }

    // MARK: Transforms

    /// The forward transform of `size` interleaved complex numbers at `input` into `output` (they may
    /// be the same buffer), using `scratch` (``scratchCount`` floats).
    public func forward(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                        scratch: UnsafeMutablePointer<Float>) {
        transform(input, output, scratch: scratch, conjugate: false, scale: 1)
    }

    /// The inverse transform (with the 1/n factor) of `size` interleaved complex numbers.
    public func inverse(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                        scratch: UnsafeMutablePointer<Float>) {
        transform(input, output, scratch: scratch, conjugate: true, scale: 1 / Float(size))
    }

    /// The forward transform with scratch memory allocated for this call.
    public func forward(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
        withScratch { forward(input, output, scratch: $0) }
    }

    /// The inverse transform with scratch memory allocated for this call.
    public func inverse(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
        withScratch { inverse(input, output, scratch: $0) }
    }

    func withScratch(_ body: (UnsafeMutablePointer<Float>) -> Void) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { body($0.baseAddress!) }
    }

    /// output = scale · F(x), or scale · conj(F(conj x)) (the unnormalised inverse) when `conjugate`.
    func transform(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                   scratch: UnsafeMutablePointer<Float>, conjugate: Bool, scale: Float) {
        if let bluestein {
            bluestein.transform(input, output, scratch: scratch, conjugate: conjugate, scale: scale)
            return
        }
        let n = size
        let sign: Float = conjugate ? -1 : 1
        for t in 0..<n {
            scratch[t] = input[2 * t]
            scratch[n + t] = sign * input[2 * t + 1]
        }
        let x = transformSplit(scratch: scratch)
        let imScale = sign * scale
        for t in 0..<n {
            output[2 * t] = x.re[t] * scale
            output[2 * t + 1] = x.im[t] * imScale
        }
    }

    /// Whether ``transformSplit(scratch:)`` is available (no Bluestein stage).
    var transformsSplit: Bool { bluestein == nil }

    /// The forward transform of split data already in `scratch` (real parts in its first `size` floats,
    /// imaginary parts in the next `size`); returns where the result lies inside the scratch.
    func transformSplit(scratch: UnsafeMutablePointer<Float>) -> SplitComplex {
        let n = size
        let a = SplitComplex(re: scratch, im: scratch + n)
        let b = SplitComplex(re: scratch + 2 * n, im: scratch + 3 * n)
        runStages(a, b, temp: scratch + 4 * n)
        return stages.count % 2 == 0 ? a : b
    }

    /// Runs every pass, ping-ponging between `x` and `y` (the result ends in `x` after an even count).
    private func runStages(_ x: SplitComplex, _ y: SplitComplex, temp: UnsafeMutablePointer<Float>) {
        var from = x, to = y
        let twRe = UnsafePointer(twiddles.baseAddress!), twIm = twRe + twiddleCount
        roots.withUnsafeBufferPointer { rootTable in
            for st in stages {
                switch st.radix {
                case 2: st.run(Radix2(), from, to, twRe, twIm, temp: temp)
                case 3: st.run(Radix3(), from, to, twRe, twIm, temp: temp)
                case 4: st.run(Radix4(), from, to, twRe, twIm, temp: temp)
                case 5: st.run(Radix5(), from, to, twRe, twIm, temp: temp)
                case 8: st.run(Radix8(), from, to, twRe, twIm, temp: temp)
                default:
                    let c = rootTable.baseAddress! + st.rootOffset
                    st.run(OddRadix(radix: st.radix, cosines: c, sines: c + st.radix, temp: temp), from, to, twRe, twIm, temp: temp)
                }
                swap(&from, &to)
            }
        }
    }
}
