/// Where each output row (or column) of a bilinear resize reads: the two source indices and the
/// weight of the second.
struct BilinearTaps {
    let low: [Int]
    let high: [Int]
    let weight: [Float]

    /// Taps for resizing `input` pixels to `output` pixels.
    ///
    /// Half-pixel centres (`alignCorners` false, PyTorch's `align_corners=False`, TensorFlow 2's
    /// `tf.image.resize`): source = (i + 0.5)·input/output - 0.5, clamped at 0. Aligned corners: source
    /// = i·(input - 1)/(output - 1), so the corner pixels of input and output coincide.
    init(input: Int, output: Int, alignCorners: Bool) {
        let scale: Double = alignCorners ? (output > 1 ? Double(input - 1) / Double(output - 1) : 0)
                                         : Double(input) / Double(output)
        var low = [Int](), high = [Int](), weight = [Float]()
        for i in 0..<output {
            let source = alignCorners ? Double(i) * scale : Swift.max((Double(i) + 0.5) * scale - 0.5, 0)
            let l = Swift.min(Int(source), input - 1)
            low.append(l)
            high.append(Swift.min(l + 1, input - 1))
            weight.append(Float(source - Double(l)))
        }
        self.low = low
        self.high = high
        self.weight = weight
    }
}

extension Tensor {
    /// Bilinear resize of a channels-last batch `[N, H, W, C]` to `[N, height, width, C]`.
    ///
    /// With `alignCorners` false (the default) pixels are sampled at their centres, as PyTorch's
    /// `F.interpolate(mode: "bilinear", align_corners=False)` and TensorFlow 2's `tf.image.resize` do
    /// (no antialiasing when shrinking); with `alignCorners` true the corner pixels of input and output
    /// coincide. The gradient spreads each output gradient over its four source pixels with the same weights.
    ///
    /// - Precondition: a float32 tensor of rank 4 with non-empty height and width, and positive `height`
    ///   and `width`; check images and sizes from outside the program with ``validateResizedBilinear(height:width:)``.
    public func resizedBilinear(height: Int, width: Int, alignCorners: Bool = false) -> Tensor {
        if let problem = resizeProblem(height: height, width: width) { preconditionFailure(problem.description) }
        let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
        let ys = BilinearTaps(input: h, output: height, alignCorners: alignCorners)
        let xs = BilinearTaps(input: w, output: width, alignCorners: alignCorners)
        let out = Tensor(uninitializedShape: [n, height, width, c])
        let src = UncheckedSendable(storage.floats), dst = UncheckedSendable(out.storage.floats)
        let rows = n * height
        let parts = rows >= 2 && out.count >= 64 * 1024 ? Swift.min(CPUBackend.configuredThreads, rows) : 1
        let per = (rows + parts - 1) / parts
        CPUBackend.parallel(parts) { part in
            for row in (part * per)..<Swift.min(rows, (part + 1) * per) {
                let b = row / height, y = row % height
                let top = src.value + (b * h + ys.low[y]) * w * c, bottom = src.value + (b * h + ys.high[y]) * w * c
                let wy = ys.weight[y], o = dst.value + row * width * c
                for x in 0..<width {
                    let l = xs.low[x] * c, r = xs.high[x] * c, wx = xs.weight[x], d = o + x * c
                    for t in 0..<c {
                        let upper = top[l + t] + wx * (top[r + t] - top[l + t])
                        let lower = bottom[l + t] + wx * (bottom[r + t] - bottom[l + t])
                        d[t] = upper + wy * (lower - upper)
                    }
                }
            }
        }
        let inShape = shape
        return Tensor.record(out, op: "resizeBilinear", inputs: [self]) { g in
            let grad = Tensor.zeros(inShape)
            let gp = g.storage.floats, dp = grad.storage.floats
            for row in 0..<rows {
                let b = row / height, y = row % height
                let top = dp + (b * h + ys.low[y]) * w * c, bottom = dp + (b * h + ys.high[y]) * w * c
                let wy = ys.weight[y], o = gp + row * width * c
                for x in 0..<width {
                    let l = xs.low[x] * c, r = xs.high[x] * c, wx = xs.weight[x], s = o + x * c
                    for t in 0..<c {
                        let v = s[t]
                        top[l + t] += (1 - wy) * (1 - wx) * v
                        top[r + t] += (1 - wy) * wx * v
                        bottom[l + t] += wy * (1 - wx) * v
                        bottom[r + t] += wy * wx * v
                    }
                }
            }
            return [grad]
        }
    }

    /// Throws unless ``resizedBilinear(height:width:alignCorners:)`` can resize this tensor to
    /// `height` × `width`: for images and sizes that come from outside the program.
    public func validateResizedBilinear(height: Int, width: Int) throws {
        if let problem = resizeProblem(height: height, width: width) { throw problem }
    }

    private func resizeProblem(height: Int, width: Int) -> TensorError? {
        guard dtype == .float32 else { return .dtypeMismatch(operation: "resizedBilinear", expected: .float32, got: dtype) }
        guard rank == 4 && shape[1] > 0 && shape[2] > 0 else {
            return .shapeMismatch(operation: "resizedBilinear", expected: "[batch, height ≥ 1, width ≥ 1, channels]", got: shape)
        }
        guard height > 0 && width > 0 else {
            return .invalidArgument("resizedBilinear: output size \(height)×\(width) must be positive (input \(shape))")
        }
        return nil
    }
}
