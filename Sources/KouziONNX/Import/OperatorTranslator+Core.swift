import KouziNN
import KouziTensor

extension OperatorTranslator {
    static var coreHandlers: [String: Handler] {
        var table: [String: Handler] = [
            "Identity": { t, node in t.values[node.output[0]] = t.values[node.input[0]] },
            "Dropout": { t, node in t.values[node.output[0]] = t.values[node.input[0]] },
            "Gemm": { try $0.gemm($1) },
            "MatMul": { try $0.matmul($1) },
            "Add": { try $0.add($1) },
            "Concat": { try $0.concat($1) },
            "Flatten": { try $0.flatten($1) },
            "Reshape": { try $0.reshape($1) },
            "Transpose": { try $0.transpose($1) },
            "Gather": { try $0.gather($1) },
            "LayerNormalization": { try $0.layerNormalization($1) },
            "Softmax": { try $0.softmax($1, .softmax) },
            "LogSoftmax": { try $0.softmax($1, .logSoftmax) },
            "LeakyRelu": { t, node in
                guard abs(t.float(node, "alpha", 0.01) - 0.01) < 1e-7 else { throw t.unsupported(node, "Kouzi's leaky ReLU has slope 0.01") }
                try t.elementwise(node, .leakyRelu)
            },
            "Gelu": { t, node in
                guard (t.string(node, "approximate") ?? "none") == "none" else { throw t.unsupported(node, "only the exact GELU is read") }
                try t.elementwise(node, .gelu)
            },
        ]
        for (op, activation) in [("Relu", Activation.relu), ("Sigmoid", .sigmoid), ("Tanh", .tanh), ("Softplus", .softplus)] {
            table[op] = { try $0.elementwise($1, activation) }
        }
        let merges: [String: @Sendable () -> any MergingLayer] = ["Sub": { Subtract() }, "Mul": { Multiply() }, "Max": { Maximum() },
                                                        "Min": { Minimum() }, "Sum": { Add() }, "Mean": { Average() }]
        for (op, make) in merges { table[op] = { try $0.merge($1, make()) } }
        return table
    }

    /// An activation on the value in whichever axis order it is held.
    func elementwise(_ node: Onnx_NodeProto, _ activation: Activation) throws {
        let v = try views(node, 0)
        let (order, tensor) = v.byPermutation.first!
        set(node, try ActivationLayer(activation)(tensor), order: order)
    }

    func softmax(_ node: Onnx_NodeProto, _ activation: Activation) throws {
        let v = try views(node, 0)
        let rank = v.rank
        var axis = int(node, "axis", opset >= 13 ? -1 : 1)
        if axis < 0 { axis += rank }
        guard (1..<rank).contains(axis) else { throw unsupported(node, "axis \(axis) of a rank-\(rank) tensor (not the batch)") }
        guard opset >= 13 || axis == rank - 1 else { throw unsupported(node, "before opset 13 only a softmax over the last axis is read") }
        // Any order with the axis last and the batch first.
        let order = v.byPermutation.keys.first { $0.last == axis && $0.first == 0 }
            ?? ([0] + (1..<rank).filter { $0 != axis } + [axis])
        try apply(ActivationLayer(activation), node, order: order)
    }

    func merge(_ node: Onnx_NodeProto, _ layer: any MergingLayer) throws {
        let inputs = try node.input.indices.map { try views(node, $0) }
        // An order every input already has, else ONNX's own.
        let shared = inputs[0].byPermutation.keys.first { order in inputs.allSatisfy { $0.byPermutation[order] != nil } }
        let order = shared ?? Array(0..<inputs[0].rank)
        guard inputs.allSatisfy({ $0.onnxShape == inputs[0].onnxShape }) else {
            throw unsupported(node, "inputs of different shapes \(inputs.map(\.onnxShape)) (broadcasting between tensors is not read)")
        }
        set(node, try layer(try inputs.map { try $0.view(order) }), order: order)
    }

    /// `alpha·A·B + beta·C` with constant B and C: a Dense layer.
    func gemm(_ node: Onnx_NodeProto) throws {
        guard int(node, "transA", 0) == 0, var b = try constant(node, 1), b.rank == 2 else {
            throw unsupported(node, "only A·B with a constant 2-D B (transB allowed) is read")
        }
        if int(node, "transB", 0) == 1 { b = b.transposed() }
        try sizes(node, b.shape, "weights of shape")
        let alpha = float(node, "alpha", 1), beta = float(node, "beta", 1)
        let units = b.shape[1]
        var bias = try constant(node, 2) ?? Tensor.zeros([units])
        guard bias.count == units || bias.count == 1 else { throw unsupported(node, "a bias of shape \(bias.shape) for \(units) units") }
        if bias.count == 1 { bias = Tensor(shape: [units], scalars: Array(repeating: bias.scalars[0], count: units)) }
        let dense = Dense(units, inputSize: b.shape[0])
        dense.kernel = alpha == 1 ? b : b * alpha
        dense.bias = beta == 1 ? bias.reshaped([units]) : bias.reshaped([units]) * beta
        try apply(dense, node)
    }

    /// A product with a constant matrix: a Dense layer whose bias a following Add may fill.
    func matmul(_ node: Onnx_NodeProto) throws {
        guard let b = try constant(node, 1), b.rank == 2 else {
            throw unsupported(node, "only a product with a constant 2-D matrix is read")
        }
        try sizes(node, b.shape, "weights of shape")
        let dense = Dense(b.shape[1], inputSize: b.shape[0])
        dense.kernel = b
        dense.bias = Tensor.zeros([b.shape[1]])
        try apply(dense, node)
        if uses[node.output[0]] == 1 { pendingBias[node.output[0]] = dense }
    }

    /// A bias after a product (folded into its Dense layer) or a sum of two tensors.
    func add(_ node: Onnx_NodeProto) throws {
        let constantSide = node.input.firstIndex { if case .constant? = values[$0] { return true } else { return false } }
        guard let constantSide else { return try merge(node, Add()) }
        let other = node.input[1 - constantSide]
        guard let dense = pendingBias.removeValue(forKey: other), case let .constant(bias)? = values[node.input[constantSide]],
              bias.count == dense.units else {
            throw unsupported(node, "adding a constant is read only as the bias of a preceding MatMul")
        }
        dense.bias = dense.bias + bias.reshaped([dense.units])
        values[node.output[0]] = values[other]
    }

    func concat(_ node: Onnx_NodeProto) throws {
        let inputs = try node.input.indices.map { try views(node, $0) }
        var axis = int(node, "axis", 1)
        if axis < 0 { axis += inputs[0].rank }
        guard (1..<inputs[0].rank).contains(axis), inputs.allSatisfy({ $0.rank == inputs[0].rank }) else {
            throw unsupported(node, "joining along axis \(axis) (only equal-rank tensors, not along the batch)")
        }
        set(node, try Concatenate(axis: axis)(try inputs.map { try $0.identity() }))
    }

    func flatten(_ node: Onnx_NodeProto) throws {
        guard int(node, "axis", 1) == 1 else { throw unsupported(node, "only Flatten with axis 1 is read") }
        try apply(Flatten(), node)
    }

    /// A reshape to a constant shape that keeps the batch (first entry 0, or -1 with every other size given).
    func reshape(_ node: Onnx_NodeProto) throws {
        guard let shape = try constant(node, 1)?.intScalars, let first = shape.first else { throw unsupported(node, "the shape must be a constant") }
        let v = try views(node, 0)
        let source = v.onnxShape
        let rest = try shape.indices.dropFirst().map { i -> Int in
            guard shape[i] == 0 else { return shape[i] }
            guard i < source.count, source[i] > 0, int(node, "allowzero", 0) == 0 else { throw unsupported(node, "copies an open axis") }
            return source[i]
        }
        guard first == 0 || (first == -1 && !rest.contains(-1)), !rest.isEmpty,
              rest.allSatisfy({ $0 == -1 || (1...(1 << 30)).contains($0) }), rest.filter({ $0 == -1 }).count <= 1 else {
            throw unsupported(node, "a reshape that does not keep the batch axis (\(shape))")
        }
        try apply(Reshape(rest), node)
    }

    func transpose(_ node: Onnx_NodeProto) throws {
        let v = try views(node, 0)
        let perm = ints(node, "perm") ?? Array((0..<v.rank).reversed())
        guard perm.sorted() == Array(0..<v.rank) else { throw unsupported(node, "perm \(perm) for a rank-\(v.rank) tensor") }
        values[node.output[0]] = .tensor(v.transposed(perm))
    }

    /// Rows of a constant table picked by ids: an Embedding layer.
    func gather(_ node: Onnx_NodeProto) throws {
        guard int(node, "axis", 0) == 0, let table = try constant(node, 0), table.rank == 2 else {
            throw unsupported(node, "only rows of a constant 2-D table (an embedding) are read")
        }
        try sizes(node, table.shape, "a table of shape")
        let embedding = Embedding(inputDim: table.shape[0], outputDim: table.shape[1])
        embedding.embeddings = table
        let v = try views(node, 1)
        set(node, try embedding(try v.identity()))
    }

    func layerNormalization(_ node: Onnx_NodeProto) throws {
        let v = try views(node, 0)
        let axis = int(node, "axis", -1)
        guard axis == -1 || axis == v.rank - 1, let gamma = try constant(node, 1) else {
            throw unsupported(node, "only a normalisation over the last axis with a constant scale is read")
        }
        let features = try sizes(node, [gamma.count], "features")[0]
        let beta = try constant(node, 2)
        guard beta == nil || beta!.count == features, let last = v.onnxShape.last, last == features || last < 0 else {
            throw unsupported(node, "scale and bias must have one value per feature of \(v.onnxShape)")
        }
        let norm = LayerNorm(epsilon: float(node, "epsilon", 1e-5), features: features)
        norm.gamma = gamma.reshaped([features])
        norm.beta = beta?.reshaped([features]) ?? Tensor.zeros([features])
        try apply(norm, node)
    }
}
