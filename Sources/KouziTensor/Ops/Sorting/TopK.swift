extension Tensor {
    /// The `k` largest (or smallest) entries of each line along `axis` and their positions (PyTorch's
    /// `topk`): `values` has the tensor's dtype, `indices` is int64, both with `k` entries along `axis`.
    ///
    /// Ties go to the lower position, and NaN counts as larger than every number. With `sorted` the
    /// entries come best first; without it they come in the order of their positions along the axis.
    /// The gradient of `values` is scattered back to the chosen positions. Selecting costs O(n log k)
    /// per line for small k.
    ///
    /// - Precondition: `axis` is in `-rank..<rank` of a tensor of rank ≥ 1 and `0 <= k <= shape[axis]`.
    public func topk(_ k: Int, axis: Int = -1, largest: Bool = true, sorted: Bool = true) -> (values: Tensor, indices: Tensor) {
        let a = resolvedAxis(axis, "topk")
        precondition(k >= 0 && k <= shape[a], "topk: k = \(k) is out of range for dimension \(a) of shape \(shape)")
        let indices = sortedPositions(axis: a, k: k, descending: largest, byPosition: !sorted)
        return (takeAlongAxis(indices, axis: a), indices)
    }

    /// Throws unless `k` is in `0...shape[axis]` for ``topk(_:axis:largest:sorted:)``, for a `k` that
    /// comes from outside the program.
    public func validateTopK(_ k: Int, axis: Int = -1) throws {
        guard rank > 0, let a = Shape.normalize(axis: axis, rank: rank) else {
            throw TensorError.invalidAxis(axis: axis, rank: rank)
        }
        guard k >= 0 && k <= shape[a] else {
            throw TensorError.invalidArgument("topk: k = \(k) is out of range for dimension \(a) of shape \(shape)")
        }
    }
}
