import KouziTensor
import KouziTestSupport
import Testing

/// Finite-difference checks of the transforms' adjoint rules, including the zero-frequency and Nyquist
/// bins of the real transforms, odd lengths, cropping and zero padding, and batches.
@Suite("FFT gradients")
struct FFTGradientTests {
    @Test(arguments: [1, 2, 3, 8, 9, 12, 37])
    func realForward(n: Int) {
        checkGradients([rand([n], UInt64(n))]) { $0[0].rfft() }
    }

    @Test(arguments: [1, 2, 3, 8, 9, 12, 37])
    func realInverse(n: Int) {
        checkGradients([rand([n / 2 + 1, 2], UInt64(n))]) { $0[0].irfft(n: n) }
    }

    @Test(arguments: [1, 2, 5, 8, 12, 37])
    func complexForwardAndInverse(n: Int) {
        checkGradients([rand([n, 2], UInt64(n))]) { $0[0].fft() }
        checkGradients([rand([n, 2], UInt64(n) + 1)]) { $0[0].ifft() }
    }

    @Test func cropAndPadding() {
        checkGradients([rand([10], 1)]) { $0[0].rfft(n: 16) }
        checkGradients([rand([10], 2)]) { $0[0].rfft(n: 7) }
        checkGradients([rand([4, 2], 3)]) { $0[0].irfft() }         // n = 6
        checkGradients([rand([4, 2], 4)]) { $0[0].irfft(n: 11) }    // bins padded to 6
        checkGradients([rand([9, 2], 5)]) { $0[0].irfft(n: 8) }     // bins cut to 5
        checkGradients([rand([6, 2], 6)]) { $0[0].fft(n: 9) }
        checkGradients([rand([6, 2], 7)]) { $0[0].ifft(n: 4) }
    }

    @Test func batchedAndComposed() {
        checkGradients([rand([2, 3, 10], 1)]) { $0[0].rfft() }
        checkGradients([rand([3, 6, 2], 2)]) { $0[0].irfft(n: 10) }
        checkGradients([rand([2, 2, 7, 2], 3)]) { $0[0].fft() }
        // A power spectrum through a round trip, as a spectral loss would use it.
        checkGradients([rand([2, 16], 4)]) { xs in
            let spectrum = xs[0].rfft()
            return (spectrum.square().sum(axis: -1) + spectrum.irfft(n: 16).rfft().square().sum(axis: -1)) * 0.05
        }
    }
}
