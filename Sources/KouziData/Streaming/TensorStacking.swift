import KouziTensor

/// Stacks tensors of one slot of a batch along a new first axis, padding them when asked.
enum TensorStacking {
    /// How ragged tensors are padded: with `value`, the first axis rounded up to a multiple of `multiple`.
    struct Padding {
        let value: Float
        let multiple: Int
    }

    /// The tensors stacked into `[tensors.count] + shape`, where `shape` is their common shape, or with
    /// `padding` the largest size along each axis (the first axis rounded up when `roundsFirstAxis`).
    ///
    /// - Complexity: one copy per tensor (one per innermost row when padded).
    static func stack(_ tensors: [Tensor], slot: String, padding: Padding?, roundsFirstAxis: Bool) throws -> Tensor {
        let first = tensors[0]
        var shape = first.shape
        for (position, tensor) in tensors.enumerated().dropFirst() {
            guard tensor.dtype == first.dtype else {
                throw DatasetError.batchDTypeMismatch(slot: slot, example: position, dtype: tensor.dtype, expected: first.dtype)
            }
            if padding == nil, tensor.shape != first.shape {
                throw DatasetError.batchShapeMismatch(slot: slot, example: position, shape: tensor.shape, expected: first.shape)
            }
            guard tensor.rank == first.rank else {
                throw DatasetError.batchRankMismatch(slot: slot, example: position, shape: tensor.shape, expected: first.shape)
            }
            for axis in shape.indices { shape[axis] = Swift.max(shape[axis], tensor.shape[axis]) }
        }
        if let padding, roundsFirstAxis, !shape.isEmpty {
            shape[0] = (shape[0] + padding.multiple - 1) / padding.multiple * padding.multiple
        }
        let pad = padding?.value ?? 0
        switch first.dtype {
        case .float32: return build(tensors, Float.self, shape: shape, pad: pad)
        case .int32: return build(tensors, Int32.self, shape: shape, pad: try integer(pad, slot: slot))
        case .int64: return build(tensors, Int64.self, shape: shape, pad: try integer(pad, slot: slot))
        }
    }

    private static func integer<T: TensorScalar & BinaryInteger>(_ value: Float, slot: String) throws -> T {
        guard let converted = T(exactly: value) else {
            throw DatasetError.invalidArgument("pad value \(value) is not a \(T.dtype) value, as \(slot) needs")
        }
        return converted
    }

    private static func build<T: TensorScalar>(_ tensors: [Tensor], _: T.Type, shape: [Int], pad: T) -> Tensor {
        let width = shape.reduce(1, *)
        let total = tensors.count * width
        let values = [T](unsafeUninitializedCapacity: total) { out, initialized in
            if total > 0, let base = out.baseAddress {
                for (k, tensor) in tensors.enumerated() {
                    tensor.withUnsafeElements(T.self) { source in
                        let destination = base + k * width
                        if tensor.shape == shape, let start = source.baseAddress {
                            destination.initialize(from: start, count: width)
                        } else {
                            destination.initialize(repeating: pad, count: width)
                            copy(source, shape: tensor.shape, into: destination, shape: shape)
                        }
                    }
                }
            }
            initialized = total
        }
        return Tensor(shape: [tensors.count] + shape, values: values)
    }

    /// Copies a tensor of `sourceShape` into the leading corner of a buffer of the same rank and the
    /// larger `shape`, one innermost row at a time.
    private static func copy<T>(_ source: UnsafeBufferPointer<T>, shape sourceShape: [Int],
                                into destination: UnsafeMutablePointer<T>, shape: [Int]) {
        guard let start = source.baseAddress, let inner = sourceShape.last, inner > 0 else { return }
        let rank = shape.count
        var strides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        var position = [Int](repeating: 0, count: rank - 1)
        for row in 0..<(source.count / inner) {
            var offset = 0
            for axis in position.indices { offset += position[axis] * strides[axis] }
            (destination + offset).update(from: start + row * inner, count: inner)
            var axis = rank - 2
            while axis >= 0 {
                position[axis] += 1
                if position[axis] < sourceShape[axis] { break }
                position[axis] = 0
                axis -= 1
            }
        }
    }
}
