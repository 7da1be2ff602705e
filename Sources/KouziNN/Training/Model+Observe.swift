import KouziTensor

extension Model {
    /// Runs the model on one tensor per input with every layer's output shown to `observe` under the layer's name,
    /// in execution order; what `observe` returns replaces the output for the layers after it. An explanation method
    /// uses it to read a feature map, or to make it a leaf of the autograd graph and take gradients with respect to it.
    ///
    /// A functional model names its calls as its summary does (`conv2d`, `conv2d_1`); a ``Sequential`` names its
    /// layers the same way, in order.
    /// - Throws: ``NNError/invalidArgument(_:)`` for a subclassed model, whose forward pass is its own code.
    public func run(_ inputs: [Tensor], observe: (String, Tensor) throws -> Tensor) throws -> [Tensor] {
        if let graph { return try withoutActuallyEscaping(observe) { try graph.run(inputs, observe: $0) } }
        guard let stack = self as? Sequential else {
            throw NNError.invalidArgument("\(name) computes its outputs in its own code, so its layers' outputs cannot be observed; "
                + "write it as a Sequential or functional model")
        }
        guard inputs.count == 1 else {
            throw NNError.invalidArgument("\(name) takes one input, got \(inputs.count)")
        }
        var x = inputs[0]
        var mask: Tensor? = nil
        for (layer, name) in zip(stack.layers, stack.layerNames) {
            (x, mask) = try layer.forward(x, mask: mask)
            x = try observe(name, x)
        }
        return [x]
    }
}

extension Sequential {
    /// The layers' names in order, made from their types (`dense`, `dense_1`, …) as a functional model's are.
    public var layerNames: [String] {
        var counts: [String: Int] = [:]
        return layers.map { layer in
            let base = LayerGraph.snakeCase(layer.name)
            let k = counts[base, default: 0]
            counts[base] = k + 1
            return k == 0 ? base : "\(base)_\(k)"
        }
    }
}
