import KouziTensor

/// A read-only view of a functional model's graph, for code that translates a model into another form (an
/// exchange format, a diagram): its inputs, its calls in an order where every call follows the calls it reads,
/// and its outputs. Tensors are named `node` (a call's only or first output) or `node#k` (its k-th output).
public struct FunctionalGraphView {
    /// One model input: its name, shape (batch first as -1) and element type.
    public struct Input {
        public let name: String
        public let shape: [Int]
        public let dtype: DType
    }

    /// One call of a layer, a merging layer or a whole model.
    public struct Call {
        /// The call's name; its outputs are named after it.
        public let name: String
        /// What the call applies (a ``MergingLayer`` takes several inputs; a ``Model`` its own inputs).
        public let layer: any Layer
        /// The tensors the call reads, by name.
        public let inputs: [String]
        /// The shapes (batch first as -1) and element types of its outputs.
        public let outputs: [(shape: [Int], dtype: DType)]
        /// The names of its outputs.
        public var outputNames: [String] { outputs.indices.map { $0 == 0 ? name : "\(name)#\($0)" } }
    }

    public let inputs: [Input]
    public let calls: [Call]
    /// The model's outputs: their names and the tensor each is.
    public let outputs: [(name: String, tensor: String)]
}

extension Model {
    /// The graph of a functional model, nil for a ``Sequential`` or subclassed one.
    public var graphView: FunctionalGraphView? {
        guard let graph else { return nil }
        func tensorName(_ t: SymbolicTensor) -> String {
            let node = graph.name(of: t)
            return t.index == 0 ? node : "\(node)#\(t.index)"
        }
        return FunctionalGraphView(
            inputs: graph.inputs.map { .init(name: $0.name, shape: $0.shape, dtype: $0.dtype) },
            calls: graph.calls.map { call in
                .init(name: graph.nodeNames[ObjectIdentifier(call)] ?? call.label, layer: call.operation.layer!,
                      inputs: call.inputs.map(tensorName), outputs: call.outputs)
            },
            outputs: graph.outputs.map { ($0.name, tensorName($0.tensor)) })
    }
}
