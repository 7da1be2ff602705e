import KouziNN
import KouziTensor

extension ModelTranslator {
    /// Multi-head self-attention, the Transformer encoder block and positional encodings, written out of MatMul,
    /// Softmax and LayerNormalization. A propagated mask blocks padded keys as Kouzi blocks them (a bias of −10⁹).
    func emitAttention(_ layer: any Layer, _ x: ExportedValue, name: String) throws -> ExportedValue? {
        switch layer {
        case let attention as MultiHeadAttention:
            return value(try selfAttention(attention, x.name, mask: x.mask, name: name), like: x)
        case let block as TransformerEncoderLayer:
            return value(try encoderBlock(block, x, name: name), like: x)
        case let encoding as SinusoidalPositionalEncoding:
            guard x.shape.count == 3, x.shape[2] > 0 else {
                throw ONNXError.unsupportedLayer("\(encoding.name) needs a known feature count, got \(x.shape)")
            }
            let table = SinusoidalPositionalEncoding.table(steps: encoding.maxLength, features: x.shape[2])
            return value(addPositions(x.name, table: table, name: name), like: x)
        case let embedding as LearnedPositionalEmbedding:
            return value(addPositions(x.name, table: embedding.table, name: name), like: x)
        default:
            return nil
        }
    }

    /// `x` plus the first `steps` rows of `table`.
    private func addPositions(_ x: String, table: Tensor, name: String) -> String {
        let steps = builder.op("Slice", [builder.op("Shape", [x], name: name), builder.ints([1], name + "/one"),
                                         builder.ints([2], name + "/two")], name: name)
        let rows = builder.op("Slice", [builder.constant(table, name + "/table"), builder.ints([0], name + "/zero"), steps,
                                        builder.ints([0], name + "/axis")], name: name)
        return builder.op("Add", [x, rows], name: name)
    }

    /// `x·kernel + bias`.
    private func linear(_ x: String, _ kernel: Tensor, _ bias: Tensor?, name: String) -> String {
        let y = builder.op("MatMul", [x, builder.constant(kernel, name + "/kernel")], name: name)
        return bias.map { builder.op("Add", [y, builder.constant($0, name + "/bias")], name: name) } ?? y
    }

    private func selfAttention(_ attention: MultiHeadAttention, _ x: String, mask: String?, name: String) throws -> String {
        guard attention.isBuilt else { throw ONNXError.unsupportedLayer("\(attention.name) is not built") }
        let heads = attention.heads
        let keyDim = attention.queryKernel.shape[1] / heads, valueDim = attention.valueKernel.shape[1] / heads
        let bias = attention.useBias
        func project(_ kernel: Tensor, _ b: Tensor, size: Int, perm: [Int], _ label: String) -> String {
            let projected = linear(x, kernel, bias ? b : nil, name: name + "/" + label)
            let split = builder.op("Reshape", [projected, builder.ints([0, 0, heads, size], name + "/\(label)_heads")], name: name)
            return builder.op("Transpose", [split], [ONNXAttribute.ints("perm", perm)], name: name)
        }
        let q = project(attention.queryKernel, attention.queryBias, size: keyDim, perm: [0, 2, 1, 3], "query")
        let kT = project(attention.keyKernel, attention.keyBias, size: keyDim, perm: [0, 2, 3, 1], "key")
        let v = project(attention.valueKernel, attention.valueBias, size: valueDim, perm: [0, 2, 1, 3], "value")
        let scale = builder.constant(Tensor(shape: [], scalars: [1 / Float(keyDim).squareRoot()]), name + "/scale")
        var scores = builder.op("MatMul", [builder.op("Mul", [q, scale], name: name), kT], name: name)
        if let mask {
            let keys = builder.op("Unsqueeze", [mask, builder.ints([1, 2], name + "/mask_axes")], name: name)
            let one = builder.constant(Tensor(shape: [], scalars: [1]), name + "/one")
            let big = builder.constant(Tensor(shape: [], scalars: [1e9]), name + "/blocked")
            scores = builder.op("Add", [scores, builder.op("Mul", [builder.op("Sub", [keys, one], name: name), big], name: name)], name: name)
        }
        let weights = builder.op("Softmax", [scores], [ONNXAttribute.int("axis", -1)], name: name)
        let context = builder.op("Transpose", [builder.op("MatMul", [weights, v], name: name)], [ONNXAttribute.ints("perm", [0, 2, 1, 3])], name: name)
        let merged = builder.op("Reshape", [context, builder.ints([0, 0, heads * valueDim], name + "/merged")], name: name)
        return linear(merged, attention.outputKernel, bias ? attention.outputBias : nil, name: name + "/output")
    }

    private func encoderBlock(_ block: TransformerEncoderLayer, _ x: ExportedValue, name: String) throws -> String {
        func norm(_ h: String, _ layer: LayerNorm, _ label: String) throws -> String {
            try emitNormalization(layer, ExportedValue(name: h, shape: x.shape, dtype: .float32, mask: nil), name: name + "/" + label)!.name
        }
        func attend(_ h: String) throws -> String { try selfAttention(block.selfAttention, h, mask: x.mask, name: name + "/attention") }
        func feedForward(_ h: String) throws -> String {
            let hidden = activate(linear(h, block.linear1.kernel, block.linear1.useBias ? block.linear1.bias : nil, name: name + "/linear1"),
                                  block.linear1.activation, name: name + "/linear1")
            return linear(hidden, block.linear2.kernel, block.linear2.useBias ? block.linear2.bias : nil, name: name + "/linear2")
        }
        if block.normFirst {
            let h = builder.op("Add", [x.name, try attend(try norm(x.name, block.norm1, "norm1"))], name: name)
            return builder.op("Add", [h, try feedForward(try norm(h, block.norm2, "norm2"))], name: name)
        }
        let h = try norm(builder.op("Add", [x.name, try attend(x.name)], name: name), block.norm1, "norm1")
        return try norm(builder.op("Add", [h, try feedForward(h)], name: name), block.norm2, "norm2")
    }
}
