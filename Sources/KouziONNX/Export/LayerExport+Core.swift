import KouziNN
import KouziTensor

extension ModelTranslator {
    /// Dense, activations, shape layers and the layers that act only in training (identity at inference).
    func emitCore(_ layer: any Layer, _ x: ExportedValue, name: String) throws -> ExportedValue? {
        switch layer {
        case let dense as Dense:
            let w = builder.constant(dense.kernel, name + "/kernel")
            var y: String
            if x.shape.count == 2 && dense.useBias {
                y = builder.op("Gemm", [x.name, w, builder.constant(dense.bias, name + "/bias")], name: name)
            } else {
                y = builder.op("MatMul", [x.name, w], name: name)
                if dense.useBias { y = builder.op("Add", [y, builder.constant(dense.bias, name + "/bias")], name: name) }
            }
            return value(activate(y, dense.activation, name: name), like: x, dtype: .float32)
        case let activation as ActivationLayer:
            return value(activate(x.name, activation.activation, name: name), like: x)
        case is Dropout, is RandomFlip, is RandomTranslation:
            return x
        case is Flatten:
            return ExportedValue(name: builder.op("Flatten", [x.name], [ONNXAttribute.int("axis", 1)], name: name),
                                 shape: [], dtype: x.dtype, mask: nil)
        case let reshape as Reshape:
            let target = builder.ints([0] + reshape.targetShape, name + "/shape")
            return ExportedValue(name: builder.op("Reshape", [x.name, target], name: name), shape: [], dtype: x.dtype, mask: nil)
        case let permute as Permute:
            return ExportedValue(name: builder.op("Transpose", [x.name], [ONNXAttribute.ints("perm", [0] + permute.dims)], name: name),
                                 shape: [], dtype: x.dtype, mask: x.mask)
        case let distributed as TimeDistributed:
            return try emitTimeDistributed(distributed, x, name: name)
        default:
            return nil
        }
    }

    /// The wrapped layer applied to every step: steps folded into the batch, the layer, steps unfolded.
    private func emitTimeDistributed(_ layer: TimeDistributed, _ x: ExportedValue, name: String) throws -> ExportedValue {
        let stepShape = [-1] + Array(x.shape.dropFirst(2))
        guard !stepShape.dropFirst().contains(-1) else {
            throw ONNXError.unsupportedLayer("\(layer.name): each step's shape must be known, got \(x.shape)")
        }
        let inner = try layer.layer.outputShape(for: stepShape)
        guard !inner.dropFirst().contains(-1) else {
            throw ONNXError.unsupportedLayer("\(layer.name): the wrapped layer's output shape must be known")
        }
        let batchSteps = builder.op("Slice", [builder.op("Shape", [x.name], name: name), builder.ints([0], name + "/start"),
                                              builder.ints([2], name + "/end")], name: name)
        let folded = builder.op("Reshape", [x.name, builder.ints(stepShape, name + "/folded_shape")], name: name)
        let step = ExportedValue(name: folded, shape: stepShape, dtype: x.dtype, mask: nil)
        let y = try emit(layer.layer, [step], name: name + "/step")[0]
        let outShape = builder.op("Concat", [batchSteps, builder.ints(Array(inner.dropFirst()), name + "/rest")],
                                  [ONNXAttribute.int("axis", 0)], name: name)
        return ExportedValue(name: builder.op("Reshape", [y.name, outShape], name: name), shape: [], dtype: y.dtype, mask: x.mask)
    }
}
