import KouziNN
import KouziTensor

extension ModelTranslator {
    /// Convolutions, pooling windows, padding and upsampling. Windows run channels-first between two transposes.
    func emitConvolution(_ layer: any Layer, _ x: ExportedValue, name: String) throws -> ExportedValue? {
        switch layer {
        case let conv as Conv2D:
            let w = builder.constant(conv.kernel.permuted([3, 2, 0, 1]), name + "/kernel")
            let b = conv.useBias ? builder.constant(conv.bias, name + "/bias") : ""
            var attributes = [ONNXAttribute.ints("kernel_shape", [conv.kernelSize.height, conv.kernelSize.width]),
                              ONNXAttribute.ints("strides", [conv.strides.height, conv.strides.width]),
                              ONNXAttribute.ints("dilations", [conv.dilation.height, conv.dilation.width]), ONNXAttribute.int("group", conv.groups)]
            attributes += try padding(conv.padding, x.shape, kernel: [conv.kernelSize.height, conv.kernelSize.width],
                                      strides: [conv.strides.height, conv.strides.width],
                                      dilations: [conv.dilation.height, conv.dilation.width], layer: conv.name)
            let y = window("Conv", x.name, [w, b].filter { !$0.isEmpty }, attributes, rank: 4, name: name)
            return value(activate(y, conv.activation, name: name), like: x)
        case let conv as Conv1D:
            let w = builder.constant(conv.kernel.permuted([2, 1, 0]), name + "/kernel")
            let b = conv.useBias ? builder.constant(conv.bias, name + "/bias") : ""
            var attributes = [ONNXAttribute.ints("kernel_shape", [conv.kernelSize]), ONNXAttribute.ints("strides", [conv.strides]),
                              ONNXAttribute.ints("dilations", [conv.dilation]), ONNXAttribute.int("group", conv.groups)]
            attributes += try padding(conv.padding, x.shape, kernel: [conv.kernelSize], strides: [conv.strides],
                                      dilations: [conv.dilation], layer: conv.name)
            let y = window("Conv", x.name, [w, b].filter { !$0.isEmpty }, attributes, rank: 3, name: name)
            return value(activate(y, conv.activation, name: name), like: x)
        case let conv as Conv2DTranspose:
            return try emitConvTranspose(conv, x, name: name)
        case let pool as MaxPool2D:
            return try pool2D("MaxPool", x, size: pool.poolSize, strides: pool.strides, padding: pool.padding, name: name)
        case let pool as AveragePool2D:
            return try pool2D("AveragePool", x, size: pool.poolSize, strides: pool.strides, padding: pool.padding, name: name)
        case let pool as MaxPool1D:
            return try pool1D("MaxPool", x, size: pool.poolSize, strides: pool.strides, padding: pool.padding, name: name)
        case let pool as AveragePool1D:
            return try pool1D("AveragePool", x, size: pool.poolSize, strides: pool.strides, padding: pool.padding, name: name)
        case is GlobalAveragePool2D:
            return reduce("ReduceMean", x, axes: [1, 2], name: name)
        case is GlobalMaxPool2D:
            return reduce("ReduceMax", x, axes: [1, 2], name: name)
        case is GlobalMaxPool1D:
            return reduce("ReduceMax", x, axes: [1], name: name)
        case is GlobalAveragePool1D:
            guard let mask = x.mask else { return reduce("ReduceMean", x, axes: [1], name: name) }
            return maskedMean(x, mask: mask, name: name)
        case let pad as ZeroPadding2D:
            let pads = builder.ints([0, pad.top, pad.left, 0, 0, pad.bottom, pad.right, 0], name + "/pads")
            return value(builder.op("Pad", [x.name, pads], name: name), like: x)
        case let pad as ZeroPadding1D:
            let pads = builder.ints([0, pad.left, 0, 0, pad.right, 0], name + "/pads")
            return value(builder.op("Pad", [x.name, pads], name: name), like: x)
        case let up as UpSampling2D:
            return upsample(x, scales: [1, Float(up.size.height), Float(up.size.width), 1], name: name)
        case let up as UpSampling1D:
            return upsample(x, scales: [1, Float(up.size), 1], name: name)
        default:
            return nil
        }
    }

    /// `op` on channels-last `x` of `rank`, run channels-first.
    private func window(_ op: String, _ x: String, _ weights: [String], _ attributes: [Onnx_AttributeProto], rank: Int,
                        name: String) -> String {
        let first = channelsFirst(x, rank: rank, name: name)
        return channelsLast(builder.op(op, [first] + weights, attributes, name: name), rank: rank, name: name)
    }

    /// ONNX padding attributes for Kouzi's padding: explicit pads where the spatial sizes are known,
    /// `SAME_UPPER` (extra padding after, as Kouzi pads) where they are open.
    private func padding(_ padding: ConvPadding, _ shape: [Int], kernel: [Int], strides: [Int], dilations: [Int],
                         layer: String) throws -> [Onnx_AttributeProto] {
        let spatial = Array(shape.dropFirst().dropLast())
        let oneDimensional = kernel.count == 1
        if case .same = padding, spatial.contains(where: { $0 < 0 }) {
            return [ONNXAttribute.string("auto_pad", "SAME_UPPER")]
        }
        var before: [Int] = [], after: [Int] = []
        for axis in kernel.indices {
            guard let amounts = padding.amounts(input: max(spatial[axis], 1), kernel: kernel[axis], stride: strides[axis],
                                                dilation: dilations[axis], axis: oneDimensional ? 1 : axis,
                                                oneDimensional: oneDimensional) else {
                throw ONNXError.unsupportedLayer("\(layer): padding \(padding) is not well formed")
            }
            before.append(amounts.before)
            after.append(amounts.after)
        }
        return [ONNXAttribute.ints("pads", before + after)]
    }

    private func pool2D(_ op: String, _ x: ExportedValue, size: WindowSize, strides: WindowSize, padding: ConvPadding,
                        name: String) throws -> ExportedValue {
        var attributes = [ONNXAttribute.ints("kernel_shape", [size.height, size.width]), ONNXAttribute.ints("strides", [strides.height, strides.width])]
        attributes += try self.padding(padding, x.shape, kernel: [size.height, size.width], strides: [strides.height, strides.width],
                                       dilations: [1, 1], layer: op)
        if op == "AveragePool" { attributes.append(ONNXAttribute.int("count_include_pad", 0)) }
        return value(window(op, x.name, [], attributes, rank: 4, name: name), like: x)
    }

    private func pool1D(_ op: String, _ x: ExportedValue, size: Int, strides: Int, padding: ConvPadding,
                        name: String) throws -> ExportedValue {
        var attributes = [ONNXAttribute.ints("kernel_shape", [size]), ONNXAttribute.ints("strides", [strides])]
        attributes += try self.padding(padding, x.shape, kernel: [size], strides: [strides], dilations: [1], layer: op)
        if op == "AveragePool" { attributes.append(ONNXAttribute.int("count_include_pad", 0)) }
        return value(window(op, x.name, [], attributes, rank: 3, name: name), like: x)
    }

    private func reduce(_ op: String, _ x: ExportedValue, axes: [Int], name: String) -> ExportedValue {
        let y = builder.op(op, [x.name, builder.ints(axes, name + "/axes")], [ONNXAttribute.int("keepdims", 0)], name: name)
        return ExportedValue(name: y, shape: [], dtype: x.dtype, mask: nil)
    }

    /// The mean over real steps: Σ x·mask / Σ mask.
    private func maskedMean(_ x: ExportedValue, mask: String, name: String) -> ExportedValue {
        let weights = builder.op("Unsqueeze", [mask, builder.ints([2], name + "/axis")], name: name)
        let total = builder.op("ReduceSum", [builder.op("Mul", [x.name, weights], name: name), builder.ints([1], name + "/steps")],
                               [ONNXAttribute.int("keepdims", 0)], name: name)
        let count = builder.op("ReduceSum", [weights, builder.ints([1], name + "/steps")], [ONNXAttribute.int("keepdims", 0)], name: name)
        let safe = builder.op("Max", [count, builder.constant(Tensor(shape: [], scalars: [1]), name + "/one")], name: name)
        return ExportedValue(name: builder.op("Div", [total, safe], name: name), shape: [], dtype: .float32, mask: nil)
    }

    private func upsample(_ x: ExportedValue, scales: [Float], name: String) -> ExportedValue {
        let s = builder.constant(Tensor(scales), name + "/scales")
        let y = builder.op("Resize", [x.name, "", s], [ONNXAttribute.string("mode", "nearest"), ONNXAttribute.string("nearest_mode", "floor"),
                                                       ONNXAttribute.string("coordinate_transformation_mode", "asymmetric")], name: name)
        return value(y, like: x)
    }

    /// ONNX's ConvTranspose crops `pads` from the full output and adds `output_padding` at the end, as Kouzi does.
    private func emitConvTranspose(_ conv: Conv2DTranspose, _ x: ExportedValue, name: String) throws -> ExportedValue {
        let kernel = [conv.kernelSize.height, conv.kernelSize.width], strides = [conv.strides.height, conv.strides.width]
        let dilations = [conv.dilation.height, conv.dilation.width], extra = [conv.outputPadding.height, conv.outputPadding.width]
        var before = [0, 0], after = [0, 0]
        for axis in 0..<2 {
            let n = x.shape[axis + 1]
            switch conv.padding {
            case .valid: continue
            case .same:
                guard n > 0 else {
                    throw ONNXError.unsupportedLayer("\(conv.name): 'same' padding needs known image sizes, got \(x.shape)")
                }
                let full = (n - 1) * strides[axis] + dilations[axis] * (kernel[axis] - 1) + 1
                before[axis] = max(full - n * strides[axis], 0) / 2
                after[axis] = full - n * strides[axis] - before[axis]
            case .explicit:
                guard let amounts = conv.padding.amounts(input: max(n, 1), kernel: kernel[axis], stride: strides[axis],
                                                         dilation: dilations[axis], axis: axis) else {
                    throw ONNXError.unsupportedLayer("\(conv.name): padding \(conv.padding) is not well formed")
                }
                (before[axis], after[axis]) = amounts
            }
            guard after[axis] >= 0 else {
                throw ONNXError.unsupportedLayer("\(conv.name): 'same' padding with a kernel smaller than the stride has no ONNX form")
            }
        }
        let w = builder.constant(conv.kernel.permuted([3, 2, 0, 1]), name + "/kernel")
        let b = conv.useBias ? builder.constant(conv.bias, name + "/bias") : ""
        let attributes = [ONNXAttribute.ints("kernel_shape", kernel), ONNXAttribute.ints("strides", strides), ONNXAttribute.ints("dilations", dilations),
                          ONNXAttribute.int("group", conv.groups), ONNXAttribute.ints("pads", before + after), ONNXAttribute.ints("output_padding", extra)]
        let y = window("ConvTranspose", x.name, [w, b].filter { !$0.isEmpty }, attributes, rank: 4, name: name)
        return value(activate(y, conv.activation, name: name), like: x)
    }
}
