import KouziTensor

/// A layer that combines several tensors into one (`Add`, `Concatenate`, `Multiply` …), for functional models.
///
/// Call it on a list: `try Add()([x, shortcut])`, on tensors or on symbolic tensors.
public protocol MergingLayer: Layer {
    /// Combines `inputs`; throws naming the shapes when they do not fit together.
    func callAsFunction(_ inputs: [Tensor]) throws -> Tensor
    /// The output shape for the inputs' shapes (batch as -1), without computing.
    func outputShape(for inputShapes: [[Int]]) throws -> [Int]
}

extension MergingLayer {
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        throw NNError.invalidInput(layer: name, expected: "a list of tensors (a merging layer takes several inputs)",
                                   got: input.shape)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        throw NNError.invalidInput(layer: name, expected: "a list of shapes (a merging layer takes several inputs)",
                                   got: inputShape)
    }

    /// Checks that there are at least two inputs (`minimum`), for messages that name the layer.
    func requireInputs(_ shapes: [[Int]], minimum: Int = 2) throws {
        guard shapes.count >= minimum else {
            throw NNError.invalidArgument("\(name): takes at least \(minimum) inputs, got \(shapes.count)")
        }
    }
}
