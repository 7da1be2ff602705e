import KouziTensor

extension Model {
    /// A functional model from its inputs to its outputs (Keras' `Model(inputs, outputs)`).
    ///
    /// ```swift
    /// let left = Input(shape: [16], name: "left"), right = Input(shape: [16], name: "right")
    /// let encoder = Dense(8, activation: .relu)                       // shared: one set of weights
    /// let joined = try Concatenate()([try encoder(left), try encoder(right)])
    /// let model = try Model(inputs: [left, right], outputs: [try Dense(1, activation: .sigmoid)(joined)])
    /// ```
    ///
    /// With one output it is named `output`; with several, after the layers producing them (or name them with
    /// ``init(inputs:outputs:name:)-(_,KeyValuePairs<String,SymbolicTensor>,_)``).
    /// - Throws: ``NNError/invalidArgument(_:)`` when an input is not an `Input` placeholder or is connected to no
    ///   output, or an output depends on an input that is not listed.
    public convenience init(inputs: [SymbolicTensor], outputs: [SymbolicTensor], name: String? = nil) throws {
        try self.init(inputs: inputs, namedOutputs: outputs.map { (nil, $0) }, names: [:], name: name)
    }

    /// A functional model with one input and one output.
    public convenience init(inputs: SymbolicTensor, outputs: SymbolicTensor, name: String? = nil) throws {
        try self.init(inputs: [inputs], outputs: [outputs], name: name)
    }

    /// A functional model whose outputs are named (the names key per-output losses, metrics and served outputs).
    public convenience init(inputs: [SymbolicTensor], outputs: KeyValuePairs<String, SymbolicTensor>, name: String? = nil) throws {
        try self.init(inputs: inputs, namedOutputs: outputs.map { ($0.key, $0.value) }, names: [:], name: name)
    }

    /// A functional model whose outputs are named, from a list built at run time (a translated graph).
    public convenience init(inputs: [SymbolicTensor], outputList: [(name: String, tensor: SymbolicTensor)], name: String? = nil) throws {
        try self.init(inputs: inputs, namedOutputs: outputList.map { ($0.name, $0.tensor) }, names: [:], name: name)
    }

    convenience init(inputs: [SymbolicTensor], namedOutputs: [(String?, SymbolicTensor)], names: [ObjectIdentifier: String],
                     name: String?) throws {
        self.init(inputShape: inputs.first.map { Array($0.shape.dropFirst()) })
        graph = try LayerGraph(inputs: inputs, outputs: namedOutputs.map { (name: $0.0, tensor: $0.1) }, names: names)
        graphName = name
    }

    /// Whether the model is a functional graph.
    public var isFunctional: Bool { graph != nil }

    /// The model's inputs: names, shapes (batch first as -1) and dtypes. Empty while a subclassed model has not
    /// seen its input shape.
    public var inputSignature: [ModelFile.TensorSpec] {
        if let graph { return graph.inputs.map { .init(name: $0.name, dtype: $0.dtype.rawValue, shape: $0.shape) } }
        guard let inputShape else { return [] }
        return [.init(name: "input", dtype: "float32", shape: [-1] + inputShape)]
    }

    /// The model's outputs: names, shapes (batch first as -1) and dtypes.
    public var outputSignature: [ModelFile.TensorSpec] {
        get throws {
            if let graph {
                return graph.outputs.map { .init(name: $0.name, dtype: $0.tensor.dtype.rawValue, shape: $0.tensor.shape) }
            }
            guard let inputShape else { return [] }
            if !(self is Sequential) {
                let outputs = try withoutGrad { try withLearningPhase(training: false) {
                    try self([Tensor.zeros([1] + inputShape.map { Swift.max($0, 1) })])
                } }
                return outputs.enumerated().map { i, t in
                    .init(name: outputs.count == 1 ? "output" : "output_\(i + 1)", dtype: t.dtype.rawValue, shape: [-1] + t.shape.dropFirst())
                }
            }
            return [.init(name: "output", dtype: "float32", shape: try outputShape(for: [-1] + inputShape))]
        }
    }
}
