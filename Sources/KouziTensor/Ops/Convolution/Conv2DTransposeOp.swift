extension Tensor {
    /// 2-D transposed convolution (the gradient of ``conv2d`` with respect to its input, as PyTorch's
    /// `conv_transpose2d`) of a channels-last batch.
    ///
    /// - Parameters:
    ///   - kernel: `[kernelH, kernelW, outChannels / groups, inChannels]` (Keras' layout).
    ///   - bias: `[outChannels]` or nil.
    ///   - padding: `valid` gives `(in − 1)·stride + dilation·(kernel − 1) + 1` positions per axis;
    ///     `same` gives `in · stride`; `explicit` crops that many positions per side, as PyTorch's `padding`.
    ///   - outputPadding: extra positions added after the last row and column (PyTorch's `output_padding`).
    /// - Returns: `[batch, outHeight, outWidth, outChannels]`.
    ///
    /// Computed as one GEMM per group into a patch matrix, scattered with col2im; the backward pass
    /// gathers the output gradient with im2col and uses two GEMMs.
    public func conv2dTranspose(kernel: Tensor, bias: Tensor? = nil, strides: (Int, Int) = (1, 1),
                                padding: ConvPadding = .valid, dilation: (Int, Int) = (1, 1), groups: Int = 1,
                                outputPadding: (Int, Int) = (0, 0)) -> Tensor {
        precondition(rank == 4 && kernel.rank == 4, "conv2dTranspose expects an input [batch, height, width, channels] and a kernel [kh, kw, cout/groups, cin], got \(shape) and \(kernel.shape)")
        let cin = shape[3]
        precondition(groups > 0 && kernel.shape[3] == cin && cin % groups == 0,
                     "conv2dTranspose: kernel \(kernel.shape) with \(groups) group(s) does not fit \(cin) input channels")
        let cout = kernel.shape[2] * groups
        precondition(bias == nil || bias!.shape == [cout], "conv2dTranspose: bias must be [\(cout)], got \(bias!.shape)")
        guard let geo = Tensor.transposeGeometry(inputShape: shape, kernel: (kernel.shape[0], kernel.shape[1]),
                                                 channels: cout, strides: strides, padding: padding,
                                                 dilation: dilation, outputPadding: outputPadding) else {
            preconditionFailure("conv2dTranspose: window \(kernel.shape.prefix(2)) with padding \(padding) does not fit input \(shape)")
        }
        let x = detached(), w = kernel.detached()
        let cing = cin / groups, coutg = cout / groups
        let k = geo.kernelH * geo.kernelW * coutg, rows = geo.rows
        let backend = device.backend
        let out = Tensor.zeros([geo.batch, geo.height, geo.width, cout])
        let col = Tensor(uninitializedShape: [rows, k])
        for gi in 0..<groups {
            backend.gemm(transA: false, transB: true, m: rows, n: k, k: cing, alpha: 1,
                         a: x.storage.floats + gi * cing, lda: cin, b: w.storage.floats + gi * cing, ldb: cin,
                         beta: 0, c: col.storage.floats, ldc: k)
            geo.col2im(col.storage.floats, channelOffset: gi * coutg, channelCount: coutg, into: out.storage.floats)
        }
        if let bias {
            let o = out.storage.floats, bp = bias.storage.floats
            for r in 0..<(geo.batch * geo.height * geo.width) {
                let row = o + r * cout
                for c in 0..<cout { row[c] += bp[c] }
            }
        }
        let needX = requiresGrad, needW = kernel.requiresGrad, needB = bias?.requiresGrad ?? false, hasBias = bias != nil
        let inputs = bias.map { [self, kernel, $0] } ?? [self, kernel]
        return Tensor.record(out, op: "conv2dTranspose", inputs: inputs) { g in
            let gx: Tensor? = needX ? Tensor(uninitializedShape: x.shape) : nil
            let gw: Tensor? = needW ? Tensor(uninitializedShape: w.shape) : nil
            let gb: Tensor? = needB ? Tensor.columnSums(g.storage.floats, rows: g.count / cout, columns: cout) : nil
            if needX || needW {
                let gcol = Tensor(uninitializedShape: [rows, k])
                for gi in 0..<groups {
                    geo.im2col(g.storage.floats, channelOffset: gi * coutg, channelCount: coutg, into: gcol.storage.floats)
                    if let t = gx {
                        backend.gemm(transA: false, transB: false, m: rows, n: cing, k: k, alpha: 1,
                                     a: gcol.storage.floats, lda: k, b: w.storage.floats + gi * cing, ldb: cin,
                                     beta: 0, c: t.storage.floats + gi * cing, ldc: cin)
                    }
                    if let t = gw {
                        backend.gemm(transA: true, transB: false, m: k, n: cing, k: rows, alpha: 1,
                                     a: gcol.storage.floats, lda: k, b: x.storage.floats + gi * cing, ldb: cin,
                                     beta: 0, c: t.storage.floats + gi * cing, ldc: cin)
                    }
                }
            }
            return hasBias ? [gx, gw, gb] : [gx, gw]
        }
    }

    /// The geometry of a transposed convolution: the window runs over its output image, visiting one
    /// position per input pixel. Nil when the padding is malformed or crops the whole output.
    public static func transposeGeometry(inputShape shape: [Int], kernel: (Int, Int), channels: Int,
                                         strides: (Int, Int), padding: ConvPadding, dilation: (Int, Int),
                                         outputPadding: (Int, Int) = (0, 0)) -> WindowGeometry? {
        guard shape.count == 4, kernel.0 > 0, kernel.1 > 0, strides.0 > 0, strides.1 > 0, dilation.0 > 0, dilation.1 > 0,
              outputPadding.0 >= 0, outputPadding.1 >= 0 else { return nil }
        func axis(_ a: Int, _ n: Int, _ kk: Int, _ s: Int, _ d: Int, _ extra: Int) -> (size: Int, crop: Int)? {
            let full = (n - 1) * s + d * (kk - 1) + 1
            switch padding {
            case .valid: return (full + extra, 0)
            case .same: return (n * s + extra, Swift.max(full - n * s, 0) / 2)
            case .explicit:
                guard let p = padding.amounts(input: n, kernel: kk, stride: s, dilation: d, axis: a) else { return nil }
                let size = full - p.before - p.after + extra
                return size > 0 ? (size, p.before) : nil
            }
        }
        guard let h = axis(0, shape[1], kernel.0, strides.0, dilation.0, outputPadding.0),
              let w = axis(1, shape[2], kernel.1, strides.1, dilation.1, outputPadding.1) else { return nil }
        return WindowGeometry(batch: shape[0], height: h.size, width: w.size, channels: channels,
                              kernelH: kernel.0, kernelW: kernel.1, strideH: strides.0, strideW: strides.1,
                              dilationH: dilation.0, dilationW: dilation.1, padTop: h.crop, padLeft: w.crop,
                              outHeight: shape[1], outWidth: shape[2])
    }
}
