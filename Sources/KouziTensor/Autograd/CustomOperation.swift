extension Tensor {
    /// Records a custom differentiable operation, like `torch.autograd.Function`.
    ///
    /// `result` was computed from `inputs` without the graph; `backward` maps the gradient of the
    /// result to one gradient (or nil) per input, each with that input's shape.
    ///
    /// ```swift
    /// let y = Tensor.recordOperation("cube", result: x.detached().pow(3), inputs: [x]) { g in
    ///     [g * 3 * x.detached().square()]
    /// }
    /// ```
    public static func recordOperation(_ name: String, result: Tensor, inputs: [Tensor],
                                       backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        record(result.detached(), op: name, inputs: inputs, rule: backward)
    }
}
