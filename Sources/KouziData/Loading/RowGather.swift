import KouziTensor

/// Copies whole rows (slices along the first dimension) of a tensor into a new tensor.
enum RowGather {
    /// The rows of `tensor` at `indices`, stacked: shape `[indices.count] + shape[1...]`, or
    /// `shape[1...]` for a single index when `dropLeadingDimension` is true.
    ///
    /// - Precondition: every index lies in `0..<tensor.shape[0]` (callers validate).
    /// - Complexity: one `memcpy` per row.
    static func rows(of tensor: Tensor, at indices: [Int], dropLeadingDimension: Bool = false) -> Tensor {
        precondition(tensor.rank >= 1, "cannot take rows of a scalar tensor")
        let rowShape = Array(tensor.shape.dropFirst())
        let shape = dropLeadingDimension ? rowShape : [indices.count] + rowShape
        switch tensor.dtype {
        case .float32: return Tensor(shape: shape, scalars: gather(tensor, Float.self, indices))
        case .int32: return Tensor(shape: shape, values: gather(tensor, Int32.self, indices))
        case .int64: return Tensor(shape: shape, values: gather(tensor, Int64.self, indices))
        }
    }

    private static func gather<T: TensorScalar>(_ tensor: Tensor, _ type: T.Type, _ indices: [Int]) -> [T] {
        let rows = tensor.shape[0]
        let width = tensor.shape.dropFirst().reduce(1, *)
        return tensor.withUnsafeElements(T.self) { source in
            [T](unsafeUninitializedCapacity: indices.count * width) { out, initialized in
                if width > 0, let src = source.baseAddress, let dst = out.baseAddress {
                    for (k, row) in indices.enumerated() {
                        precondition(row >= 0 && row < rows, "row \(row) is out of range for \(rows) rows")
                        (dst + k * width).initialize(from: src + row * width, count: width)
                    }
                }
                initialized = indices.count * width
            }
        }
    }
}
