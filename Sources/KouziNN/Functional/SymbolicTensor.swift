import KouziTensor

/// A tensor of a functional model under construction: its shape (batch first, -1 for a free dimension), its
/// dtype and the layer call that produces it. Calling a layer on it records the call instead of computing.
///
/// ```swift
/// let image = Input(shape: [28, 28, 1], name: "image")
/// let x = try Conv2D(32, kernelSize: 3, padding: .same, activation: .relu)(image)
/// let y = try Dense(10, activation: .softmax)(try Flatten()(x))
/// let model = try Model(inputs: image, outputs: y)
/// ```
public struct SymbolicTensor: @unchecked Sendable, CustomStringConvertible {
    /// Dimensions, the batch first as -1; another -1 is a free dimension (a sequence length).
    public let shape: [Int]
    /// The element type.
    public let dtype: DType
    /// The call that produces this tensor.
    let node: GraphNode
    /// Which of the call's outputs this is.
    let index: Int

    init(shape: [Int], dtype: DType, node: GraphNode, index: Int = 0) {
        self.shape = shape
        self.dtype = dtype
        self.node = node
        self.index = index
    }

    public var description: String { "SymbolicTensor(\(shape), \(dtype), from \(node.label))" }
}

/// A model input: one sample of `shape` (without the batch dimension; -1 for a free dimension) and `dtype`.
///
/// Integer ids for an `Embedding` are `Input(shape: [-1], dtype: .int64)`.
public func Input(shape: [Int], dtype: DType = .float32, name: String? = nil) -> SymbolicTensor {
    precondition(shape.allSatisfy { $0 > 0 || $0 == -1 }, "Input shape \(shape) must hold positive sizes or -1")
    let node = GraphNode(operation: .input(name: name), inputs: [], outputs: [([-1] + shape, dtype)])
    return SymbolicTensor(shape: [-1] + shape, dtype: dtype, node: node)
}

/// One call in a functional graph: an input placeholder, a layer applied to one tensor, a merging layer applied to
/// several, or a whole model applied to its inputs.
final class GraphNode: @unchecked Sendable {
    enum Operation {
        case input(name: String?)
        case layer(any Layer)
        case merge(any MergingLayer)
        case model(Model)

        /// The layer (or model) the call applies, nil for an input.
        var layer: (any Layer)? {
            switch self {
            case .input: return nil
            case .layer(let l): return l
            case .merge(let l): return l
            case .model(let m): return m
            }
        }
    }

    let operation: Operation
    let inputs: [SymbolicTensor]
    let outputs: [(shape: [Int], dtype: DType)]

    init(operation: Operation, inputs: [SymbolicTensor], outputs: [(shape: [Int], dtype: DType)]) {
        self.operation = operation
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The call's outputs as symbolic tensors.
    var symbolicOutputs: [SymbolicTensor] {
        outputs.indices.map { SymbolicTensor(shape: outputs[$0].shape, dtype: outputs[$0].dtype, node: self, index: $0) }
    }

    /// A short description for messages.
    var label: String {
        switch operation {
        case .input(let name): return "Input" + (name.map { " '\($0)'" } ?? "")
        default: return operation.layer!.name
        }
    }
}
