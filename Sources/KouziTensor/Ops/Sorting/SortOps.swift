extension Tensor {
    /// The positions that sort each line along `axis` (int64, NumPy's `argsort(kind="stable")`): equal
    /// entries keep their order, and NaNs sort as the largest values (last ascending, first descending).
    /// Works for every dtype.
    ///
    /// - Precondition: `axis` is in `-rank..<rank` of a tensor of rank ≥ 1.
    public func argsort(axis: Int = -1, descending: Bool = false) -> Tensor {
        let a = resolvedAxis(axis, "argsort")
        return sortedPositions(axis: a, k: shape[a], descending: descending)
    }

    /// Each line along `axis` sorted (ascending by default; stable, NaNs as the largest values).
    ///
    /// Differentiable through the permutation: each entry's gradient is the output gradient at the
    /// place the entry moved to.
    ///
    /// - Precondition: `axis` is in `-rank..<rank` of a tensor of rank ≥ 1.
    public func sorted(axis: Int = -1, descending: Bool = false) -> Tensor {
        takeAlongAxis(argsort(axis: axis, descending: descending), axis: axis)
    }
}
