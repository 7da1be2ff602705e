extension Tensor {
    /// 1-D convolution of channels-last sequences `[batch, steps, channels]` with a kernel
    /// `[kernelSize, channels / groups, outChannels]`; returns `[batch, outSteps, outChannels]`.
    ///
    /// Runs ``conv2d(kernel:bias:strides:padding:dilation:groups:)`` on images one row high (reshapes,
    /// no copies). Explicit padding is `[n]` or `[left, right]`.
    public func conv1d(kernel: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: ConvPadding = .valid,
                       dilation: Int = 1, groups: Int = 1) -> Tensor {
        precondition(rank == 3 && kernel.rank == 3, "conv1d expects an input [batch, steps, channels] and a kernel [k, cin/groups, cout], got \(shape) and \(kernel.shape)")
        let y = reshaped([shape[0], 1, shape[1], shape[2]])
            .conv2d(kernel: kernel.reshaped([1] + kernel.shape), bias: bias, strides: (1, stride),
                    padding: padding.alongWidth, dilation: (1, dilation), groups: groups)
        return y.reshaped([y.shape[0], y.shape[2], y.shape[3]])
    }

    /// 1-D max pooling of channels-last sequences; `stride` defaults to the pool size.
    public func maxPool1d(poolSize: Int, stride: Int? = nil, padding: ConvPadding = .valid) -> Tensor {
        precondition(rank == 3, "maxPool1d expects [batch, steps, channels], got \(shape)")
        let y = reshaped([shape[0], 1, shape[1], shape[2]])
            .maxPool2d(poolSize: (1, poolSize), strides: (1, stride ?? poolSize), padding: padding.alongWidth)
        return y.reshaped([y.shape[0], y.shape[2], y.shape[3]])
    }

    /// 1-D average pooling of channels-last sequences (padded steps left out of each average).
    public func avgPool1d(poolSize: Int, stride: Int? = nil, padding: ConvPadding = .valid) -> Tensor {
        precondition(rank == 3, "avgPool1d expects [batch, steps, channels], got \(shape)")
        let y = reshaped([shape[0], 1, shape[1], shape[2]])
            .avgPool2d(poolSize: (1, poolSize), strides: (1, stride ?? poolSize), padding: padding.alongWidth)
        return y.reshaped([y.shape[0], y.shape[2], y.shape[3]])
    }
}

extension ConvPadding {
    /// The 2-D padding that applies this 1-D padding (`[n]` or `[left, right]`) along the width of
    /// an image one row high.
    public var alongWidth: ConvPadding {
        guard case let .explicit(v) = self, !v.isEmpty else { return self }
        return .explicit([0, 0, v[0], v[v.count - 1]])
    }
}
