extension WindowGeometry {
    /// The window geometry of a convolution or pooling over an NHWC input of `shape`, or nil when the
    /// padding list is malformed or the window does not fit the padded input.
    public static func make(inputShape shape: [Int], kernel: (Int, Int), strides: (Int, Int),
                            padding: ConvPadding, dilation: (Int, Int) = (1, 1)) -> WindowGeometry? {
        guard shape.count == 4, kernel.0 > 0, kernel.1 > 0, strides.0 > 0, strides.1 > 0,
              dilation.0 > 0, dilation.1 > 0,
              let ph = padding.amounts(input: shape[1], kernel: kernel.0, stride: strides.0, dilation: dilation.0, axis: 0),
              let pw = padding.amounts(input: shape[2], kernel: kernel.1, stride: strides.1, dilation: dilation.1, axis: 1),
              let oh = ConvPadding.outputLength(input: shape[1], kernel: kernel.0, stride: strides.0, dilation: dilation.0,
                                                before: ph.before, after: ph.after),
              let ow = ConvPadding.outputLength(input: shape[2], kernel: kernel.1, stride: strides.1, dilation: dilation.1,
                                                before: pw.before, after: pw.after)
        else { return nil }
        return WindowGeometry(batch: shape[0], height: shape[1], width: shape[2], channels: shape[3],
                              kernelH: kernel.0, kernelW: kernel.1, strideH: strides.0, strideW: strides.1,
                              dilationH: dilation.0, dilationW: dilation.1, padTop: ph.before, padLeft: pw.before,
                              outHeight: oh, outWidth: ow)
    }
}

extension Tensor {
    /// 2-D convolution (cross-correlation, as in PyTorch and Keras) of a channels-last batch.
    ///
    /// - Parameters:
    ///   - kernel: `[kernelH, kernelW, inChannels / groups, outChannels]`.
    ///   - bias: `[outChannels]` or nil.
    ///   - groups: input and output channels are split into this many groups convolved separately.
    /// - Returns: `[batch, outHeight, outWidth, outChannels]`.
    ///
    /// Computed as im2col + one GEMM per group; the backward pass reuses the patch matrix for the
    /// kernel gradient (GEMM) and scatters the patch gradient back with col2im for the input gradient.
    /// Cost: `2 · rows · kernelH·kernelW·inChannels/groups · outChannels` flops each way, plus a patch
    /// matrix of `rows × kernelH·kernelW·inChannels` floats kept for the backward pass.
    public func conv2d(kernel: Tensor, bias: Tensor? = nil, strides: (Int, Int) = (1, 1),
                       padding: ConvPadding = .valid, dilation: (Int, Int) = (1, 1), groups: Int = 1) -> Tensor {
        precondition(rank == 4 && kernel.rank == 4, "conv2d expects an input [batch, height, width, channels] and a kernel [kh, kw, cin/groups, cout], got \(shape) and \(kernel.shape)")
        let cin = shape[3], cout = kernel.shape[3]
        precondition(groups > 0 && cin % groups == 0 && cout % groups == 0 && kernel.shape[2] * groups == cin,
                     "conv2d: kernel \(kernel.shape) with \(groups) group(s) does not fit \(cin) input channels")
        precondition(bias == nil || bias!.shape == [cout], "conv2d: bias must be [\(cout)], got \(bias!.shape)")
        guard let geo = WindowGeometry.make(inputShape: shape, kernel: (kernel.shape[0], kernel.shape[1]),
                                            strides: strides, padding: padding, dilation: dilation) else {
            preconditionFailure("conv2d: window \(kernel.shape.prefix(2)) with padding \(padding) does not fit input \(shape)")
        }
        let x = detached(), w = kernel.detached(), b = bias?.detached()
        let cing = cin / groups, coutg = cout / groups
        let k = geo.kernelH * geo.kernelW * cing, rows = geo.rows
        // A 1×1 window with stride 1 and no padding reads the input as its own patch matrix.
        let pointwise = groups == 1 && geo.kernelH == 1 && geo.kernelW == 1 && geo.strideH == 1 && geo.strideW == 1
            && geo.padTop == 0 && geo.padLeft == 0 && geo.outHeight == geo.height && geo.outWidth == geo.width
        let col: Tensor
        if pointwise {
            col = x
        } else {
            col = Tensor(uninitializedShape: [groups, rows, k])
            for gi in 0..<groups {
                geo.im2col(x.storage.floats, channelOffset: gi * cing, channelCount: cing, into: col.storage.floats + gi * rows * k)
            }
        }
        let out = Tensor(uninitializedShape: [geo.batch, geo.outHeight, geo.outWidth, cout])
        let o = out.storage.floats
        if let b {
            let bp = b.storage.floats
            for r in 0..<rows {
                let row = o + r * cout
                for c in 0..<cout { row[c] = bp[c] }
            }
        }
        let backend = device.backend
        for gi in 0..<groups {
            backend.gemm(transA: false, transB: false, m: rows, n: coutg, k: k, alpha: 1,
                         a: col.storage.floats + gi * rows * k, lda: k, b: w.storage.floats + gi * coutg, ldb: cout,
                         beta: b == nil ? 0 : 1, c: o + gi * coutg, ldc: cout)
        }
        let needX = requiresGrad, needW = kernel.requiresGrad, needB = bias?.requiresGrad ?? false, hasBias = bias != nil
        let inputs = bias.map { [self, kernel, $0] } ?? [self, kernel]
        return Tensor.record(out, op: "conv2d", inputs: inputs) { g in
            let gp = g.storage.floats
            var gw: Tensor? = nil, gx: Tensor? = nil, gb: Tensor? = nil
            if needW {
                let t = Tensor(uninitializedShape: w.shape)
                for gi in 0..<groups {
                    backend.gemm(transA: true, transB: false, m: k, n: coutg, k: rows, alpha: 1,
                                 a: col.storage.floats + gi * rows * k, lda: k, b: gp + gi * coutg, ldb: cout,
                                 beta: 0, c: t.storage.floats + gi * coutg, ldc: cout)
                }
                gw = t
            }
            if needB { gb = Tensor.columnSums(gp, rows: rows, columns: cout) }
            if needX {
                if pointwise {
                    let t = Tensor(uninitializedShape: x.shape)
                    backend.gemm(transA: false, transB: true, m: rows, n: k, k: cout, alpha: 1, a: gp, lda: cout,
                                 b: w.storage.floats, ldb: cout, beta: 0, c: t.storage.floats, ldc: k)
                    gx = t
                } else {
                    let t = Tensor.zeros(x.shape)
                    let gcol = Tensor(uninitializedShape: [rows, k])
                    for gi in 0..<groups {
                        backend.gemm(transA: false, transB: true, m: rows, n: k, k: coutg, alpha: 1,
                                     a: gp + gi * coutg, lda: cout, b: w.storage.floats + gi * coutg, ldb: cout,
                                     beta: 0, c: gcol.storage.floats, ldc: k)
                        geo.col2im(gcol.storage.floats, channelOffset: gi * cing, channelCount: cing, into: t.storage.floats)
                    }
                    gx = t
                }
            }
            return hasBias ? [gx, gw, gb] : [gx, gw]
        }
    }

    /// Sums the rows of a `rows × columns` row-major matrix (the bias gradient of a layer).
    static func columnSums(_ p: UnsafePointer<Float>, rows: Int, columns: Int) -> Tensor {
        let out = Tensor.zeros([columns])
        let o = out.storage.floats
        for r in 0..<rows {
            let s = p + r * columns
            for c in 0..<columns { o[c] += s[c] }
        }
        return out
    }
}
