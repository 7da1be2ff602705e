import KouziTensor

extension Layer {
    /// Records a call of this layer on `input` in a functional graph and returns its symbolic output.
    ///
    /// A lazily built layer builds here, from the input's shape, so shape errors surface while the graph is
    /// written, naming the layer.
    public func callAsFunction(_ input: SymbolicTensor) throws -> SymbolicTensor {
        if self is any MergingLayer {
            throw NNError.invalidArgument("\(name) merges several tensors: call it on a list, e.g. \(name)()([a, b])")
        }
        if let model = self as? Model {
            let outputs = try model.callAsFunction([input])
            guard outputs.count == 1 else {
                throw NNError.invalidArgument("\(model.name) has \(outputs.count) outputs: call it on a list to get them all")
            }
            return outputs[0]
        }
        let shape = try GraphNode.prepare(self, inputShapes: [input.shape], dtypes: [input.dtype])
        let node = GraphNode(operation: .layer(self), inputs: [input], outputs: [(shape, outputDType(for: input.dtype))])
        return node.symbolicOutputs[0]
    }
}

extension MergingLayer {
    /// Records a call of this merging layer on `inputs` in a functional graph and returns its symbolic output.
    public func callAsFunction(_ inputs: [SymbolicTensor]) throws -> SymbolicTensor {
        let shape = try outputShape(for: inputs.map(\.shape))
        let dtype = inputs.first?.dtype ?? .float32
        let node = GraphNode(operation: .merge(self), inputs: inputs, outputs: [(shape, dtype)])
        return node.symbolicOutputs[0]
    }
}

extension Model {
    /// Records a call of this whole model on `inputs` in another functional graph (a model used as a layer).
    public func callAsFunction(_ inputs: [SymbolicTensor]) throws -> [SymbolicTensor] {
        let expected = inputSignature
        guard expected.isEmpty || expected.count == inputs.count else {
            throw NNError.invalidArgument("\(name) takes \(expected.count) inputs, got \(inputs.count)")
        }
        if expected.isEmpty {
            // A subclassed model without a declared input: build it from the first input's shape.
            try ensureBuilt(sampleShapes: inputs.map { Array($0.shape.dropFirst()) })
        }
        for (spec, input) in zip(inputSignature, inputs) where !Shape.compatible(spec.shape, input.shape) {
            throw NNError.invalidInput(layer: "\(name) input '\(spec.name)'", expected: "\(spec.shape)", got: input.shape)
        }
        let outputs = try outputSignature.map { ($0.shape, DType(rawValue: $0.dtype) ?? .float32) }
        let node = GraphNode(operation: .model(self), inputs: inputs, outputs: outputs)
        return node.symbolicOutputs
    }
}

extension GraphNode {
    /// Builds `layer` for inputs of `inputShapes` if it is not built yet and returns its output shape.
    static func prepare(_ layer: any Layer, inputShapes: [[Int]], dtypes: [DType]) throws -> [Int] {
        let inputShape = inputShapes[0]
        if !layer.isBuilt { try layer.build(inputShape: inputShape) }
        if !layer.isBuilt {
            // Layers that build on their first call: one example of ones through it.
            let probe = Tensor.ones(inputShape.map { $0 < 0 ? 1 : $0 }).cast(to: dtypes[0])
            _ = try withoutGrad { try withLearningPhase(training: false) { try layer(probe) } }
        }
        return try layer.outputShape(for: inputShape)
    }
}

extension Shape {
    /// Whether a tensor of shape `actual` fits a declared shape (-1 matches any size).
    static func compatible(_ declared: [Int], _ actual: [Int]) -> Bool {
        declared.count == actual.count && zip(declared, actual).allSatisfy { $0 < 0 || $1 < 0 || $0 == $1 }
    }
}
