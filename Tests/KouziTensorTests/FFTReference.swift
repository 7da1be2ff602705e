import Foundation

/// A double-precision DFT for checking the float transforms at every bin: an iterative radix-2 FFT for
/// powers of two and a chirp-z convolution through it for other lengths (so large sizes stay fast in
/// debug builds). Complex values are interleaved (re, im) as in the tensors.
enum ReferenceDFT {
    /// The forward DFT (sign -1) or the unnormalised inverse (sign +1) of `x` (2n doubles).
    static func transform(_ x: [Double], sign: Double = -1) -> [Double] {
        let n = x.count / 2
        if n & (n - 1) == 0 { return powerOfTwo(x, sign: sign) }
        var m = 1
        while m < 2 * n - 1 { m *= 2 }
        // w[k] = e^{sign·πi·k²/n}, computed from k² mod 2n.
        var w = [Double](repeating: 0, count: 2 * n)
        for k in 0..<n {
            let angle = sign * Double.pi * Double((k * k) % (2 * n)) / Double(n)
            w[2 * k] = cos(angle); w[2 * k + 1] = sin(angle)
        }
        var a = [Double](repeating: 0, count: 2 * m), b = [Double](repeating: 0, count: 2 * m)
        for k in 0..<n {
            a[2 * k] = x[2 * k] * w[2 * k] - x[2 * k + 1] * w[2 * k + 1]
            a[2 * k + 1] = x[2 * k] * w[2 * k + 1] + x[2 * k + 1] * w[2 * k]
            b[2 * k] = w[2 * k]; b[2 * k + 1] = -w[2 * k + 1]
            if k > 0 { b[2 * (m - k)] = w[2 * k]; b[2 * (m - k) + 1] = -w[2 * k + 1] }
        }
        let fa = powerOfTwo(a, sign: -1), fb = powerOfTwo(b, sign: -1)
        var prod = [Double](repeating: 0, count: 2 * m)
        for k in 0..<m {
            prod[2 * k] = fa[2 * k] * fb[2 * k] - fa[2 * k + 1] * fb[2 * k + 1]
            prod[2 * k + 1] = fa[2 * k] * fb[2 * k + 1] + fa[2 * k + 1] * fb[2 * k]
        }
        let conv = powerOfTwo(prod, sign: 1)
        var out = [Double](repeating: 0, count: 2 * n)
        for k in 0..<n {
            let cr = conv[2 * k] / Double(m), ci = conv[2 * k + 1] / Double(m)
            out[2 * k] = cr * w[2 * k] - ci * w[2 * k + 1]
            out[2 * k + 1] = cr * w[2 * k + 1] + ci * w[2 * k]
        }
        return out
    }

    /// Iterative radix-2 FFT (bit reversal, then butterflies), n a power of two.
    static func powerOfTwo(_ x: [Double], sign: Double) -> [Double] {
        let n = x.count / 2
        var a = x
        var j = 0
        for i in 0..<n {
            if i < j { a.swapAt(2 * i, 2 * j); a.swapAt(2 * i + 1, 2 * j + 1) }
            var bit = n >> 1
            while bit > 0 && j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
        }
        var len = 2
        while len <= n {
            for start in stride(from: 0, to: n, by: len) {
                for k in 0..<(len / 2) {
                    let angle = sign * 2 * Double.pi * Double(k) / Double(len)
                    let wr = cos(angle), wi = sin(angle)
                    let u = start + k, v = u + len / 2
                    let tr = a[2 * v] * wr - a[2 * v + 1] * wi, ti = a[2 * v] * wi + a[2 * v + 1] * wr
                    a[2 * v] = a[2 * u] - tr; a[2 * v + 1] = a[2 * u + 1] - ti
                    a[2 * u] += tr; a[2 * u + 1] += ti
                }
            }
            len *= 2
        }
        return a
    }

    /// NumPy's `rfft` of real samples, in double precision.
    static func rfft(_ x: [Float], n: Int) -> [Double] {
        var z = [Double](repeating: 0, count: 2 * n)
        for t in 0..<Swift.min(n, x.count) { z[2 * t] = Double(x[t]) }
        return Array(transform(z).prefix(2 * (n / 2 + 1)))
    }

    /// NumPy's `irfft` of `bins` interleaved bins to n samples, in double precision.
    static func irfft(_ spectrum: [Float], n: Int) -> [Double] {
        let bins = n / 2 + 1, available = spectrum.count / 2
        var full = [Double](repeating: 0, count: 2 * n)
        for f in 0..<Swift.min(bins, available) {
            let re = Double(spectrum[2 * f]), im = Double(spectrum[2 * f + 1])
            let keepIm = f != 0 && !(n % 2 == 0 && f == n / 2)
            full[2 * f] = re; full[2 * f + 1] = keepIm ? im : 0
            if f != 0 && n - f != f { full[2 * (n - f)] = re; full[2 * (n - f) + 1] = keepIm ? -im : 0 }
        }
        let y = transform(full, sign: 1)
        return (0..<n).map { y[2 * $0] / Double(n) }
    }

    /// The largest |a - b| over the elements, and the largest |b|.
    static func deviation(_ a: [Float], _ b: [Double]) -> (error: Double, scale: Double) {
        var err = 0.0, scale = 0.0
        for (x, y) in zip(a, b) {
            err = Swift.max(err, Swift.abs(Double(x) - y))
            scale = Swift.max(scale, Swift.abs(y))
        }
        return (err, scale)
    }
}
