/// Discrete Fourier transforms along the last axis, with NumPy's conventions (`np.fft`).
///
/// Kouzi has no complex dtype: a complex tensor is a float tensor whose last dimension is 2 (real,
/// imaginary), like `torch.view_as_real`. All four transforms are linear, and their gradients are the
/// adjoint transforms: the gradient of `fft` is n·`ifft` of the output gradient, and that of `rfft` is
/// n·`irfft` of the output gradient with its interior bins halved (bins 1 ..< n/2 stand for two
/// frequencies of the full spectrum; the zero-frequency and Nyquist bins for one).
extension Tensor {
    /// The real FFT along the last axis: `[..., L]` → `[..., n/2 + 1, 2]` (NumPy's `np.fft.rfft`).
    ///
    /// - Parameter n: the transform length; the input is cut to its first `n` samples or padded with
    ///   zeros (default: `L`).
    /// - Precondition: a float32 tensor of rank ≥ 1 and a length of at least 1; check signals from
    ///   outside the program (an empty recording) with ``validateRFFT(n:)``.
    public func rfft(n: Int? = nil) -> Tensor {
        let length = requireTransformLength(.rfft, n)
        return fitted(axis: rank - 1, length: length).rfftExact()
    }

    /// The inverse real FFT along the complex axis: `[..., m, 2]` → `[..., n]` (NumPy's `np.fft.irfft`).
    ///
    /// Reads the first `n/2 + 1` bins (padding missing ones with zeros) and ignores the imaginary parts of
    /// the zero-frequency bin and, for even `n`, of the Nyquist bin. Includes the 1/n factor.
    ///
    /// - Parameter n: the output length (default: 2·(m - 1)).
    /// - Precondition: a float32 tensor `[..., m, 2]` and an output length of at least 1
    ///   (see ``validateIRFFT(n:)``).
    public func irfft(n: Int? = nil) -> Tensor {
        let length = requireTransformLength(.irfft, n)
        return fitted(axis: rank - 2, length: length / 2 + 1).irfftExact(length)
    }

    /// The complex FFT along the complex axis: `[..., n, 2]` → `[..., n, 2]` (NumPy's `np.fft.fft`).
    ///
    /// - Parameter n: the transform length; the input is cut or padded with zeros (default: its length).
    /// - Precondition: a float32 tensor `[..., m, 2]` and a length of at least 1 (see ``validateFFT(n:)``).
    public func fft(n: Int? = nil) -> Tensor {
        let length = requireTransformLength(.fft, n)
        return fitted(axis: rank - 2, length: length).complexTransform(inverse: false)
    }

    /// The inverse complex FFT with the 1/n factor: `[..., n, 2]` → `[..., n, 2]` (NumPy's `np.fft.ifft`).
    ///
    /// - Parameter n: the transform length; the input is cut or padded with zeros (default: its length).
    /// - Precondition: a float32 tensor `[..., m, 2]` and a length of at least 1 (see ``validateFFT(n:)``).
    public func ifft(n: Int? = nil) -> Tensor {
        let length = requireTransformLength(.ifft, n)
        return fitted(axis: rank - 2, length: length).complexTransform(inverse: true)
    }

    /// Throws unless ``rfft(n:)`` can run on this tensor with `n`: for signals and lengths from outside
    /// the program (an empty recording, a length read from a configuration).
    public func validateRFFT(n: Int? = nil) throws { _ = try transformLength(.rfft, n).get() }

    /// Throws unless ``irfft(n:)`` can run on this tensor with `n`.
    public func validateIRFFT(n: Int? = nil) throws { _ = try transformLength(.irfft, n).get() }

    /// Throws unless ``fft(n:)`` and ``ifft(n:)`` can run on this tensor with `n`.
    public func validateFFT(n: Int? = nil) throws { _ = try transformLength(.fft, n).get() }

    private enum Transform: String { case rfft, irfft, fft, ifft }

    /// The length the transform runs at, or what is wrong with the tensor or `n`.
    private func transformLength(_ t: Transform, _ n: Int?) -> Result<Int, TensorError> {
        let op = t.rawValue
        guard dtype == .float32 else { return .failure(.dtypeMismatch(operation: op, expected: .float32, got: dtype)) }
        let real = t == .rfft
        guard real ? rank >= 1 : rank >= 2 && shape[rank - 1] == 2 else {
            return .failure(.shapeMismatch(operation: op, expected: real ? "[..., n]" : "[..., m, 2]", got: shape))
        }
        let length = n ?? (real ? shape[rank - 1] : t == .irfft ? 2 * (shape[rank - 2] - 1) : shape[rank - 2])
        guard length >= 1 else {
            return .failure(.invalidArgument("\(op): the transform length must be at least 1, got \(length) for shape \(shape)"))
        }
        return .success(length)
    }

    private func requireTransformLength(_ t: Transform, _ n: Int?) -> Int {
        switch transformLength(t, n) {
        case .success(let length): return length
        case .failure(let problem): preconditionFailure(problem.description)
        }
    }

    /// The first `length` entries along `axis`, padded with zeros when the axis is shorter (differentiable).
    func fitted(axis a: Int, length: Int) -> Tensor {
        let current = shape[a]
        if current == length { return self }
        if current > length { return slice(axis: a, 0..<length) }
        var padding = shape
        padding[a] = length - current
        return Tensor.concatenate([self, Tensor.zeros(padding)], axis: a)
    }

    // MARK: Transforms of exact length

    private func rfftExact() -> Tensor {
        let n = shape[rank - 1]
        let plan = RealFFTPlan.cached(size: n)
        let out = Tensor(uninitializedShape: Array(shape.dropLast()) + [plan.bins, 2])
        Tensor.transformRows(count / n, from: self, rowLength: n, into: out, rowLength: 2 * plan.bins,
                             scratch: plan.scratchCount) { plan.forward($0, $1, scratch: $2) }
        return Tensor.record(out, op: "rfft", inputs: [self]) { g in
            [(g * Tensor.binWeights(n, interior: 0.5, edge: 1)).irfftExact(n) * Float(n)]
        }
    }

    private func irfftExact(_ n: Int) -> Tensor {
        let plan = RealFFTPlan.cached(size: n)
        let out = Tensor(uninitializedShape: Array(shape.dropLast(2)) + [n])
        Tensor.transformRows(out.count / n, from: self, rowLength: 2 * plan.bins, into: out, rowLength: n,
                             scratch: plan.scratchCount) { plan.inverse($0, $1, scratch: $2) }
        return Tensor.record(out, op: "irfft", inputs: [self]) { g in
            [g.rfftExact() * Tensor.binWeights(n, interior: 2 / Float(n), edge: 1 / Float(n))]
        }
    }

    private func complexTransform(inverse: Bool) -> Tensor {
        let n = shape[rank - 2]
        let plan = FFTPlan.cached(size: n)
        let out = Tensor(uninitializedShape: shape)
        Tensor.transformRows(count / (2 * n), from: self, rowLength: 2 * n, into: out, rowLength: 2 * n,
                             scratch: plan.scratchCount) { src, dst, scratch in
            if inverse { plan.inverse(src, dst, scratch: scratch) } else { plan.forward(src, dst, scratch: scratch) }
        }
        return Tensor.record(out, op: inverse ? "ifft" : "fft", inputs: [self]) { g in
            [inverse ? g.complexTransform(inverse: false) * (1 / Float(n)) : g.complexTransform(inverse: true) * Float(n)]
        }
    }

    /// Per-bin weights `[n/2 + 1, 2]` of a real spectrum: `edge` for the zero-frequency bin and (even n)
    /// the Nyquist bin, `interior` for the others.
    private static func binWeights(_ n: Int, interior: Float, edge: Float) -> Tensor {
        let bins = n / 2 + 1
        var w = [Float](repeating: interior, count: 2 * bins)
        w[0] = edge; w[1] = edge
        if n % 2 == 0 { w[2 * bins - 2] = edge; w[2 * bins - 1] = edge }
        return Tensor(shape: [bins, 2], scalars: w)
    }

    /// Runs `body(input row, output row, scratch)` over `rows` rows, split across cores when the batch
    /// is large; each part allocates its scratch once and reuses it for all its rows.
    static func transformRows(_ rows: Int, from input: Tensor, rowLength inRow: Int, into output: Tensor,
                              rowLength outRow: Int, scratch: Int,
                              _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        if rows == 0 { return }
        let src = UnsafePointer(input.storage.floats), dst = output.storage.floats
        let parts = rows >= 2 && rows * inRow >= 16 * 1024 ? Swift.min(CPUBackend.configuredThreads, rows) : 1
        let per = (rows + parts - 1) / parts
        CPUBackend.parallel(parts) { part in
            let lo = part * per, hi = Swift.min(rows, lo + per)
            if lo >= hi { return }
            let work = UnsafeMutablePointer<Float>.allocate(capacity: scratch)
            defer { work.deallocate() }
            for r in lo..<hi { body(src + r * inRow, dst + r * outRow, work) }
        }
    }
}
