import KouziNN
import KouziTensor

extension OperatorTranslator {
    /// Convolutions, pooling, batch normalisation, spatial reductions, padding and resizing: each runs on the
    /// value's channels-last order, which the layers read.
    static var windowHandlers: [String: Handler] {
        [
            "Conv": { try $0.conv($1) },
            "ConvTranspose": { try $0.convTranspose($1) },
            "MaxPool": { try $0.pool($1, average: false) },
            "AveragePool": { try $0.pool($1, average: true) },
            "GlobalAveragePool": { try $0.globalPool($1, average: true) },
            "GlobalMaxPool": { try $0.globalPool($1, average: false) },
            "BatchNormalization": { try $0.batchNormalization($1) },
            "ReduceMean": { try $0.reduce($1, average: true) },
            "ReduceMax": { try $0.reduce($1, average: false) },
            "Pad": { try $0.pad($1) },
            "Resize": { try $0.resize($1) },
        ]
    }

    /// Kouzi's padding for ONNX `pads` (all begins, then all ends) or `auto_pad`.
    private func padding(_ node: Onnx_NodeProto, spatial: Int) throws -> ConvPadding {
        switch string(node, "auto_pad") ?? "NOTSET" {
        case "SAME_UPPER": return .same
        case "VALID": return .valid
        case "NOTSET": break
        default: throw unsupported(node, "auto_pad \(string(node, "auto_pad")!) (Kouzi pads the extra row after, as SAME_UPPER)")
        }
        let pads = ints(node, "pads") ?? Array(repeating: 0, count: 2 * spatial)
        guard pads.count == 2 * spatial else { throw unsupported(node, "pads \(pads)") }
        try amounts(node, pads, "pads")
        if pads.allSatisfy({ $0 == 0 }) { return .valid }
        return spatial == 1 ? .explicit([pads[0], pads[1]]) : .explicit([pads[0], pads[2], pads[1], pads[3]])
    }

    /// A window attribute (strides, dilations…) with one positive value per spatial axis.
    private func window(_ node: Onnx_NodeProto, _ name: String, _ spatial: Int, default fallback: Int) throws -> [Int] {
        let values = ints(node, name) ?? Array(repeating: fallback, count: spatial)
        guard values.count == spatial else { throw unsupported(node, "\(name) \(values) for \(spatial) spatial axes") }
        return fallback == 0 ? try amounts(node, values, name) : try sizes(node, values, name)
    }

    func conv(_ node: Onnx_NodeProto) throws {
        let v = try views(node, 0)
        guard let w = try constant(node, 1), w.rank == v.rank, v.rank == 3 || v.rank == 4 else {
            throw unsupported(node, "only 1-D and 2-D convolutions with constant weights are read")
        }
        let spatial = v.rank - 2
        try sizes(node, w.shape, "weights of shape")
        let kernel = Array(w.shape.dropFirst(2)), strides = try window(node, "strides", spatial, default: 1)
        let dilations = try window(node, "dilations", spatial, default: 1), groups = try sizes(node, [int(node, "group", 1)], "group")[0]
        guard w.shape[0] % groups == 0 else { throw unsupported(node, "\(w.shape[0]) filters in \(groups) groups") }
        let padding = try self.padding(node, spatial: spatial)
        let bias = try constant(node, 2)
        let channels = w.shape[1] * groups
        let layer: any Layer
        if spatial == 2 {
            let conv = Conv2D(w.shape[0], kernelSize: [kernel[0], kernel[1]], strides: [strides[0], strides[1]], padding: padding,
                              dilation: [dilations[0], dilations[1]], groups: groups, useBias: bias != nil, inputChannels: channels)
            conv.kernel = w.permuted([2, 3, 1, 0])
            if let bias { conv.bias = bias.reshaped([w.shape[0]]) }
            layer = conv
        } else {
            let conv = Conv1D(w.shape[0], kernelSize: kernel[0], strides: strides[0], padding: padding, dilation: dilations[0],
                              groups: groups, useBias: bias != nil, inputChannels: channels)
            conv.kernel = w.permuted([2, 1, 0])
            if let bias { conv.bias = bias.reshaped([w.shape[0]]) }
            layer = conv
        }
        try apply(layer, node, order: channelsLastOrder(v.rank))
    }

    func convTranspose(_ node: Onnx_NodeProto) throws {
        let v = try views(node, 0)
        guard v.rank == 4, let w = try constant(node, 1), w.rank == 4, ints(node, "output_shape") == nil else {
            throw unsupported(node, "only 2-D transposed convolutions with constant weights and no output_shape are read")
        }
        try sizes(node, w.shape, "weights of shape")
        let groups = try sizes(node, [int(node, "group", 1)], "group")[0]
        guard w.shape[0] % groups == 0 else { throw unsupported(node, "\(w.shape[0]) input channels in \(groups) groups") }
        let strides = try window(node, "strides", 2, default: 1), dilations = try window(node, "dilations", 2, default: 1)
        let extra = try window(node, "output_padding", 2, default: 0)
        guard zip(extra, zip(strides, dilations)).allSatisfy({ $0 < max($1.0, $1.1) }) else {
            throw unsupported(node, "output_padding \(extra) must be smaller than the stride or the dilation")
        }
        guard (string(node, "auto_pad") ?? "NOTSET") == "NOTSET" || string(node, "auto_pad") == "VALID" else {
            throw unsupported(node, "auto_pad on a transposed convolution (give explicit pads)")
        }
        let padding = try self.padding(node, spatial: 2)
        let bias = try constant(node, 2)
        let filters = w.shape[1] * groups
        let conv = Conv2DTranspose(filters, kernelSize: [w.shape[2], w.shape[3]], strides: [strides[0], strides[1]], padding: padding,
                                   dilation: [dilations[0], dilations[1]], outputPadding: [extra[0], extra[1]], groups: groups,
                                   useBias: bias != nil, inputChannels: w.shape[0])
        conv.kernel = w.permuted([2, 3, 1, 0])
        if let bias { conv.bias = bias.reshaped([filters]) }
        try apply(conv, node, order: channelsLastOrder(4))
    }

    func pool(_ node: Onnx_NodeProto, average: Bool) throws {
        let v = try views(node, 0)
        let spatial = v.rank - 2
        guard spatial == 1 || spatial == 2, let kernel = ints(node, "kernel_shape"), int(node, "ceil_mode", 0) == 0,
              (ints(node, "dilations") ?? []).allSatisfy({ $0 == 1 }) else {
            throw unsupported(node, "only 1-D and 2-D pooling without ceil_mode or dilations is read")
        }
        guard kernel.count == spatial else { throw unsupported(node, "kernel_shape \(kernel) for \(spatial) spatial axes") }
        try sizes(node, kernel, "kernel_shape")
        let strides = try window(node, "strides", spatial, default: 1)
        let padding = try self.padding(node, spatial: spatial)
        if average && padding != .valid && int(node, "count_include_pad", 0) != 0 {
            throw unsupported(node, "an average that counts padding (Kouzi leaves padded positions out)")
        }
        let layer: any Layer = switch (spatial, average) {
        case (2, true): AveragePool2D(poolSize: [kernel[0], kernel[1]], strides: [strides[0], strides[1]], padding: padding)
        case (2, false): MaxPool2D(poolSize: [kernel[0], kernel[1]], strides: [strides[0], strides[1]], padding: padding)
        case (_, true): AveragePool1D(poolSize: kernel[0], strides: strides[0], padding: padding)
        default: MaxPool1D(poolSize: kernel[0], strides: strides[0], padding: padding)
        }
        try apply(layer, node, order: channelsLastOrder(v.rank))
    }

    /// A global pooling keeps ONNX's unit spatial axes: `[N, C, 1, 1]` is held as the pooled `[N, C]` reshaped.
    func globalPool(_ node: Onnx_NodeProto, average: Bool) throws {
        let v = try views(node, 0)
        guard v.rank == 3 || v.rank == 4 else { throw unsupported(node, "only 1-D and 2-D global pooling is read") }
        let layer: any Layer = switch (v.rank, average) {
        case (4, true): GlobalAveragePool2D()
        case (4, false): GlobalMaxPool2D()
        case (_, true): GlobalAveragePool1D()
        default: GlobalMaxPool1D()
        }
        let pooled = try layer(try v.view(channelsLastOrder(v.rank)))
        let channels = pooled.shape[1]
        set(node, try Reshape([channels] + Array(repeating: 1, count: v.rank - 2))(pooled))
    }

    /// A mean or maximum over the spatial axes of the channels-last order (axes 1 … rank−2 of it).
    func reduce(_ node: Onnx_NodeProto, average: Bool) throws {
        let v = try views(node, 0)
        let rank = v.rank
        var axes = try (opset >= 18 ? constant(node, 1)?.intScalars : ints(node, "axes")) ?? []
        axes = axes.map { $0 < 0 ? $0 + rank : $0 }.sorted()
        // An order that puts the reduced axes right after the batch and keeps one axis last.
        guard (rank == 3 || rank == 4), axes.count == rank - 2, Set(axes).count == axes.count, axes.allSatisfy({ (1..<rank).contains($0) }) else {
            throw unsupported(node, "only reductions over every axis but the batch and one other are read")
        }
        let kept = (1..<rank).first { !axes.contains($0) }!
        let order = [0] + axes + [kept]
        let layer: any Layer = switch (rank, average) {
        case (4, true): GlobalAveragePool2D()
        case (4, false): GlobalMaxPool2D()
        case (_, true): GlobalAveragePool1D()
        default: GlobalMaxPool1D()
        }
        let pooled = try layer(try v.view(order))
        if int(node, "keepdims", 1) == 0 {
            set(node, pooled)
        } else {
            var shape = v.onnxShape
            for axis in axes { shape[axis] = 1 }
            set(node, try Reshape(Array(shape.dropFirst()))(pooled))
        }
    }

    /// Inference batch normalisation over axis 1: a BatchNorm layer with the running statistics.
    func batchNormalization(_ node: Onnx_NodeProto) throws {
        let v = try views(node, 0)
        guard let scale = try constant(node, 1), let shift = try constant(node, 2), let mean = try constant(node, 3),
              let variance = try constant(node, 4), node.output.filter({ !$0.isEmpty }).count == 1 else {
            throw unsupported(node, "only inference batch normalisation with constant statistics is read")
        }
        let channels = try sizes(node, [scale.count], "channels")[0]
        guard [shift, mean, variance].allSatisfy({ $0.count == channels }), variance.scalars.allSatisfy({ $0 >= 0 }) else {
            throw unsupported(node, "scale, bias, mean and variance must have \(channels) values each (variances not negative)")
        }
        let norm = BatchNorm(momentum: 1 - float(node, "momentum", 0.9), epsilon: float(node, "epsilon", 1e-5), channels: channels)
        norm.gamma = scale.reshaped([channels])
        norm.beta = shift.reshaped([channels])
        norm.runningMean = mean.reshaped([channels])
        norm.runningVariance = variance.reshaped([channels])
        try apply(norm, node, order: v.rank > 2 ? channelsLastOrder(v.rank) : nil)
    }

    /// Zero padding of the spatial axes (constant mode, constant pads).
    func pad(_ node: Onnx_NodeProto) throws {
        let v = try views(node, 0)
        guard (string(node, "mode") ?? "constant") == "constant", let pads = try constant(node, 1)?.intScalars,
              (try constant(node, 2)?.scalars.allSatisfy { $0 == 0 } ?? true), node.input.count < 4, pads.count == 2 * v.rank else {
            throw unsupported(node, "only zero padding with constant pads is read")
        }
        let rank = v.rank
        let padded = (0..<rank).filter { pads[$0] != 0 || pads[$0 + rank] != 0 }
        // The order of the layer: batch, the (up to rank − 2) padded axes, then the others.
        let others = (1..<rank).filter { !padded.contains($0) }
        guard !padded.contains(0), rank == 3 || rank == 4, padded.count <= rank - 2, pads.allSatisfy({ $0 >= 0 }) else {
            throw unsupported(node, "padding \(pads) (Kouzi pads up to \(rank - 2) axes besides the batch and channels)")
        }
        let spatialAxes = Array((padded + others).prefix(rank - 2))
        let order = [0] + spatialAxes + (1..<rank).filter { !spatialAxes.contains($0) }
        let layer: any Layer = rank == 4
            ? ZeroPadding2D(padding: [pads[order[1]], pads[order[1] + rank], pads[order[2]], pads[order[2] + rank]])
            : ZeroPadding1D(padding: [pads[order[1]], pads[order[1] + rank]])
        try apply(layer, node, order: order)
    }

    /// Nearest-neighbour upsampling by whole factors on the spatial axes.
    func resize(_ node: Onnx_NodeProto) throws {
        let v = try views(node, 0)
        guard (string(node, "mode") ?? "nearest") == "nearest", let scales = try constant(node, 2)?.scalars, scales.count == v.rank,
              scales.allSatisfy({ $0 >= 1 && $0 <= 1024 && $0 == $0.rounded() }), scales[0] == 1, v.rank == 3 || v.rank == 4 else {
            throw unsupported(node, "only nearest-neighbour upsampling by whole factors is read")
        }
        let rank = v.rank
        let scaled = (1..<rank).filter { scales[$0] != 1 }
        guard scaled.count <= rank - 2 else { throw unsupported(node, "upsampling \(scaled.count) axes") }
        let spatialAxes = Array((scaled + (1..<rank).filter { !scaled.contains($0) }).prefix(rank - 2))
        let order = [0] + spatialAxes + (1..<rank).filter { !spatialAxes.contains($0) }
        let layer: any Layer = rank == 4 ? UpSampling2D(size: [Int(scales[order[1]]), Int(scales[order[2]])])
            : UpSampling1D(size: Int(scales[order[1]]))
        try apply(layer, node, order: order)
    }
}
