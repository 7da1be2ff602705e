import KouziTensor
import KouziTestSupport
import Testing

/// Every bin of the float transforms against a double-precision DFT, over the lengths that exercise each
/// radix, the generic odd radix, Bluestein's algorithm and the real-transform paths (odd lengths, and even
/// lengths whose half runs split or, like 74 = 2·37 and 2018 = 2·1009, through Bluestein).
@Suite("FFT accuracy against a double-precision DFT")
struct FFTAccuracyTests {
    static let lengths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 24, 25, 27, 31, 32, 37, 49, 60, 64,
                          74, 97, 100, 121, 128, 194, 210, 243, 256, 341, 343, 400, 441, 480, 512, 625, 961, 1000,
                          1009, 1024, 2018, 2048, 3000]

    /// Max |ours - reference| ≤ 1e-5 · max |reference| for one transform.
    func expectAccurate(_ ours: [Float], _ reference: [Double], _ what: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let (error, scale) = ReferenceDFT.deviation(ours, reference)
        #expect(ours.count == reference.count, "\(what): \(ours.count) values, expected \(reference.count)",
                sourceLocation: sourceLocation)
        #expect(error <= 1e-5 * Swift.max(scale, 1e-30), "\(what): max error \(error) against max |X| \(scale)",
                sourceLocation: sourceLocation)
    }

    @Test(arguments: lengths)
    func complexForwardAndInverse(n: Int) {
        let x = rand([n, 2], UInt64(n))
        let input = x.scalars.map(Double.init)
        expectAccurate(x.fft().scalars, ReferenceDFT.transform(input), "fft \(n)")
        let inverse = ReferenceDFT.transform(input, sign: 1).map { $0 / Double(n) }
        expectAccurate(x.ifft().scalars, inverse, "ifft \(n)")
    }

    @Test(arguments: lengths)
    func realForwardAndInverse(n: Int) {
        let x = rand([n], UInt64(n) + 7)
        expectAccurate(x.rfft().scalars, ReferenceDFT.rfft(x.scalars, n: n), "rfft \(n)")
        let spectrum = rand([n / 2 + 1, 2], UInt64(n) + 8)
        expectAccurate(spectrum.irfft(n: n).scalars, ReferenceDFT.irfft(spectrum.scalars, n: n), "irfft \(n)")
    }
}
