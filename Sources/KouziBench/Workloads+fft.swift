import KouziTensor

extension Workloads {
    /// The FFT workloads (same names as in scripts/bench/fft.py, timed against NumPy's `np.fft`): a batch
    /// of 512-sample frames, as a short-time Fourier transform makes, there and back, and single long
    /// signals of power-of-two, 2·5-smooth and prime lengths.
    static var fft: [Workload] {
        [rfft(rows: 100, n: 512), irfft(rows: 100, n: 512), rfft(rows: 1, n: 4096), rfft(rows: 1, n: 65536),
         rfft(rows: 1, n: 16000), rfft(rows: 1, n: 10007)]
    }

    static func rfft(rows: Int, n: Int) -> Workload {
        Workload(name: "rfft_\(rows)x\(n)", detail: "Tensor.rfft of [\(rows), \(n)] float32 (output allocated per call)") {
            let x = Tensor.randomNormal([rows, n], seed: 1)
            return medianTime(warmup: 10, minRuns: 50) { _ = withoutGrad { x.rfft() } }
        }
    }

    static func irfft(rows: Int, n: Int) -> Workload {
        Workload(name: "irfft_\(rows)x\(n)", detail: "Tensor.irfft of [\(rows), \(n / 2 + 1), 2] to \(n) samples (output allocated per call)") {
            let x = Tensor.randomNormal([rows, n / 2 + 1, 2], seed: 2)
            return medianTime(warmup: 10, minRuns: 50) { _ = withoutGrad { x.irfft(n: n) } }
        }
    }
}
