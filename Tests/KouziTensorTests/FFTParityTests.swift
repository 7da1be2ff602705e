import KouziTensor
import KouziTestSupport
import Testing

/// One NumPy reference transform from `Tests/KouziTensorTests/Fixtures/signal.json`
/// (written by `python3 scripts/make_fixtures.py signal`).
struct SignalCase: Decodable, Sendable, CustomTestStringConvertible {
    let op: String
    let shape: [Int]
    let seed: UInt64
    let n: Int?
    let output_shape: [Int]
    let input_head: [Float]
    let max_abs: Double
    let values: [Float]?
    let sample_index: [Int]?
    let sample_values: [Float]?

    var testDescription: String { "\(op) \(shape)" + (n.map { " n=\($0)" } ?? "") }

    static let all: [SignalCase] = fixtureCases("signal")

    /// The transform applied to the seeded input.
    func run(_ x: Tensor) -> Tensor {
        switch op {
        case "rfft": return x.rfft(n: n)
        case "irfft": return x.irfft(n: n)
        case "fft": return x.fft(n: n)
        default: return x.ifft(n: n)
        }
    }
}

@Suite("FFT parity with NumPy")
struct FFTParityTests {
    @Test func fixtureIsPresent() {
        #expect(SignalCase.all.count > 100, "run python3 scripts/make_fixtures.py signal")
    }

    /// Max |ours - NumPy| ≤ 1e-5 · max |NumPy| per transform, at every stored value.
    @Test(arguments: SignalCase.all)
    func matchesNumPy(_ c: SignalCase) {
        let x = rand(c.shape, c.seed)
        #expect(Array(x.scalars.prefix(4)) == c.input_head, "the seeded input differs from the fixture's")
        let y = c.run(x)
        #expect(y.shape == c.output_shape)
        let ours = y.scalars
        let (index, expected) = c.values.map { (Array(0..<$0.count), $0) } ?? (c.sample_index ?? [], c.sample_values ?? [])
        var worst = 0.0
        for (i, v) in zip(index, expected) { worst = Swift.max(worst, Swift.abs(Double(ours[i]) - Double(v))) }
        let largest = ours.reduce(0.0) { Swift.max($0, Swift.abs(Double($1))) }
        #expect(worst <= 1e-5 * c.max_abs, "max error \(worst) against max |X| \(c.max_abs)")
        #expect(Swift.abs(largest - c.max_abs) <= 1e-5 * c.max_abs, "max |X| \(largest), NumPy \(c.max_abs)")
    }

    /// The large transforms, whose fixture holds only samples, at every bin against a double-precision DFT.
    @Test(arguments: SignalCase.all.filter { $0.values == nil && $0.shape.count <= 2 && $0.shape[0] > 1000 })
    func largeTransformsAtEveryBin(_ c: SignalCase) {
        let x = rand(c.shape, c.seed)
        let ours = c.run(x).scalars, input = x.scalars
        let reference: [Double]
        switch c.op {
        case "rfft": reference = ReferenceDFT.rfft(input, n: c.n ?? c.shape[0])
        case "irfft": reference = ReferenceDFT.irfft(input, n: c.n ?? 2 * (c.shape[0] - 1))
        case "fft": reference = ReferenceDFT.transform(input.map(Double.init))
        default: reference = ReferenceDFT.transform(input.map(Double.init), sign: 1).map { $0 / Double(c.shape[0]) }
        }
        let (error, scale) = ReferenceDFT.deviation(ours, reference)
        #expect(error <= 1e-5 * scale, "max error \(error) against max |X| \(scale)")
    }
}
