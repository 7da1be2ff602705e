import Dispatch
import KouziTensor
import KouziTestSupport
import Testing

/// The raw-buffer plans that hot loops (STFT frames) use directly.
@Suite("FFT plans")
struct FFTPlanTests {
    @Test func realPlanMatchesTheTensorOpAndRoundTrips() {
        for n in [1, 2, 7, 64, 400, 1009] {
            let plan = RealFFTPlan(size: n)
            #expect(plan.bins == n / 2 + 1)
            let x = rand([n], UInt64(n)).scalars
            var spectrum = [Float](repeating: .nan, count: 2 * plan.bins)
            var back = [Float](repeating: .nan, count: n)
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: plan.scratchCount)
            defer { scratch.deallocate() }
            plan.forward(x, &spectrum, scratch: scratch)
            #expect(spectrum == Tensor(x).rfft().scalars)
            plan.inverse(spectrum, &back, scratch: scratch)
            expectClose(back, x, tol: 1e-5)
            plan.forward(x, &spectrum)
            #expect(spectrum == Tensor(x).rfft().scalars)
        }
    }

    @Test func complexPlanWorksInPlace() {
        for n in [1, 6, 97, 128] {
            let plan = FFTPlan(size: n)
            let x = rand([n, 2], UInt64(n))
            var buffer = x.scalars
            plan.forward(buffer, &buffer)
            #expect(buffer == x.fft().scalars)
            buffer.withUnsafeMutableBufferPointer { plan.inverse($0.baseAddress!, $0.baseAddress!) }
            expectClose(buffer, x.scalars, tol: 1e-5)
        }
    }

    @Test func cachedPlansAreShared() {
        #expect(FFTPlan.cached(size: 360) === FFTPlan.cached(size: 360))
        #expect(RealFFTPlan.cached(size: 360) === RealFFTPlan.cached(size: 360))
        #expect(FFTPlan.cached(size: 360) !== FFTPlan.cached(size: 361))
    }

    /// One plan, many threads at once, each with its own scratch: every result equals the serial one.
    @Test func concurrentUseGivesTheSameResults() {
        let plan = RealFFTPlan.cached(size: 1000), frames = 32
        let input = rand([frames, 1000], 9).scalars
        let expected = Tensor(shape: [frames, 1000], scalars: input).rfft().scalars
        let output = UnsafeMutablePointer<Float>.allocate(capacity: frames * 2 * plan.bins)
        defer { output.deallocate() }
        let out = UncheckedBox(output)
        input.withUnsafeBufferPointer { src in
            let source = UncheckedBox(UnsafeMutablePointer(mutating: src.baseAddress!))
            DispatchQueue.concurrentPerform(iterations: frames) { f in
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: plan.scratchCount)
                defer { scratch.deallocate() }
                plan.forward(source.value + f * 1000, out.value + f * 2 * plan.bins, scratch: scratch)
            }
        }
        #expect(Array(UnsafeBufferPointer(start: output, count: frames * 2 * plan.bins)) == expected)
        // Many threads asking the cache for new sizes at once.
        let sizes = (0..<16).map { 500 + $0 }
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let n = sizes[i % 16]
            #expect(FFTPlan.cached(size: n).size == n)
        }
    }

    @Test func largeBatchesSplitAcrossCoresGiveTheSameResults() {
        let x = rand([64, 1024], 3)
        let batched = x.rfft()
        let rows = (0..<64).map { x.slice(axis: 0, $0..<($0 + 1)).rfft().scalars }
        #expect(batched.scalars == rows.flatMap { $0 })
        #expect(batched.irfft(n: 1024).scalars == (0..<64).map { batched.slice(axis: 0, $0..<($0 + 1)).irfft(n: 1024).scalars }.flatMap { $0 })
    }

    @Test func emptyBatchesAndUnitLengths() {
        #expect(Tensor.zeros([0, 8]).rfft().shape == [0, 5, 2])
        #expect(Tensor.zeros([3, 0, 4, 2]).fft().shape == [3, 0, 4, 2])
        #expect(Tensor([[2.5]]).rfft().scalars == [2.5, 0])
        #expect(Tensor(shape: [1, 2], scalars: [3, 4]).fft().scalars == [3, 4])
        #expect(Tensor(shape: [1, 2], scalars: [3, 4]).irfft(n: 1).scalars == [3])
        #expect(Tensor(shape: [2, 1], scalars: [1, 2]).rfft(n: 4).scalars == [1, 0, 1, 0, 1, 0, 2, 0, 2, 0, 2, 0])
    }
}

@Suite("FFT validation")
struct FFTValidationTests {
    @Test func lengthsAndLayouts() throws {
        try Tensor.zeros([2, 5]).validateRFFT()
        try Tensor.zeros([2, 0]).validateRFFT(n: 8)
        #expect(throws: TensorError.self) { try Tensor.zeros([2, 0]).validateRFFT() }   // an empty recording
        #expect(throws: TensorError.self) { try Tensor.zeros([4]).validateRFFT(n: 0) }
        #expect(throws: TensorError.self) { try Tensor(shape: [], scalars: [1]).validateRFFT() }
        #expect(throws: TensorError.dtypeMismatch(operation: "rfft", expected: .float32, got: .int64)) {
            try Tensor(shape: [2], values: [Int64(1), 2]).validateRFFT()
        }
        try Tensor.zeros([3, 2]).validateIRFFT()
        #expect(throws: TensorError.self) { try Tensor.zeros([1, 2]).validateIRFFT() }      // n = 2(m - 1) = 0
        try Tensor.zeros([1, 2]).validateIRFFT(n: 1)
        #expect(throws: TensorError.self) { try Tensor.zeros([4, 3]).validateIRFFT(n: 4) }
        try Tensor.zeros([4, 2]).validateFFT()
        #expect(throws: TensorError.self) { try Tensor.zeros([4]).validateFFT() }
        #expect(throws: TensorError.self) { try Tensor.zeros([0, 2]).validateFFT() }
    }
}

/// Carries a pointer into concurrent closures (each writes its own disjoint range).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
