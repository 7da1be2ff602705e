extension Tensor {
    /// The same elements viewed with a new shape; one dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let resolved = Tensor.resolveReshape(newShape, count: count)
        precondition(resolved != nil, "cannot reshape a tensor of shape \(shape) (\(count) elements) to \(newShape)")
        let inShape = shape
        return Tensor.record(reshapedRaw(resolved!), op: "reshape", inputs: [self]) { g in [g.reshapedRaw(inShape)] }
    }

    /// Resolves a `-1` in `shape`, or nil if the element count does not fit.
    public static func resolveReshape(_ shape: [Int], count: Int) -> [Int]? {
        var s = shape
        let unknown = s.indices.filter { s[$0] == -1 }
        if unknown.count > 1 || s.contains(where: { $0 < -1 }) { return nil }
        let known = s.filter { $0 != -1 }.reduce(1, *)
        if let u = unknown.first {
            guard known > 0, count % known == 0 else { return nil }
            s[u] = count / known
        }
        return s.reduce(1, *) == count ? s : nil
    }

    /// Flattens all dimensions from `startAxis` on into one.
    public func flattened(startAxis: Int = 1) -> Tensor {
        let keep = Array(shape.prefix(startAxis))
        return reshaped(keep + [shape.dropFirst(startAxis).reduce(1, *)])
    }

    /// Inserts a size-1 dimension at `axis`.
    public func expandingDims(at axis: Int) -> Tensor {
        guard let a = Shape.normalize(axis: axis, rank: rank + 1) else {
            preconditionFailure("expandingDims: axis \(axis) out of range for rank \(rank)")
        }
        var s = shape; s.insert(1, at: a)
        return reshaped(s)
    }

    /// Removes size-1 dimensions (all of them, or only `axes`).
    public func squeezed(axes: [Int]? = nil) -> Tensor {
        let ax = resolveAxes(axes, op: "squeeze")
        return reshaped(shape.enumerated().filter { !(ax.contains($0.offset) && $0.element == 1) }.map(\.element))
    }

    /// Reorders dimensions: result dimension i is input dimension `permutation[i]`.
    public func permuted(_ permutation: [Int]) -> Tensor {
        precondition(permutation.sorted() == Array(0..<rank), "permutation \(permutation) is invalid for rank \(rank)")
        if permutation == Array(0..<rank) { return self }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return Tensor.record(permuteKernel(permutation), op: "permute", inputs: [self]) { g in [g.permuteKernel(inverse)] }
    }

    /// Swaps two dimensions (by default the last two).
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        guard let x = Shape.normalize(axis: a, rank: rank), let y = Shape.normalize(axis: b, rank: rank), rank >= 2 else {
            preconditionFailure("transposed: axes \(a), \(b) out of range for shape \(shape)")
        }
        var p = Array(0..<rank); p.swapAt(x, y)
        return permuted(p)
    }

    /// The matrix transpose of a 2-D tensor.
    public var T: Tensor { transposed() }

    /// Repeats size-1 dimensions (and adds leading ones) to reach `target`.
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        guard Shape.broadcast(shape, target) == target else {
            preconditionFailure("cannot broadcast shape \(shape) to \(target)")
        }
        let out = Tensor(uninitializedShape: target)
        let strides = Shape.broadcastStrides(shape, to: target)
        let inner = target.last ?? 1, step = strides.last ?? 0
        let p = storage.floats, o = out.storage.floats
        forEachRow(shape: target, strides: strides, strides) { oo, io, _ in
            if step == 0 { (o + oo).initialize(repeating: p[io], count: inner) }
            else { (o + oo).update(from: p + io, count: inner) }
        }
        let inShape = shape
        return Tensor.record(out, op: "broadcast", inputs: [self]) { g in [g.reduced(toShape: inShape)] }
    }

    /// Elements `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        guard let a = Shape.normalize(axis: axis, rank: rank), rank > 0 else {
            preconditionFailure("slice: axis \(axis) out of range for shape \(shape)")
        }
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a],
                     "slice: range \(range) out of bounds for dimension \(a) of size \(shape[a])")
        var outShape = shape; outShape[a] = range.count
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        let out = Tensor(uninitializedShape: outShape, dtype: dtype)
        let bytes = dtype.byteSize
        let chunk = range.count * inner * bytes
        for o in 0..<outer {
            (out.storage.raw + o * chunk).copyMemory(
                from: storage.raw + ((o * shape[a] + range.lowerBound) * inner) * bytes, byteCount: chunk)
        }
        let inShape = shape
        return Tensor.record(out, op: "slice", inputs: [self]) { g in
            let full = Tensor.zeros(inShape)
            for o in 0..<outer {
                (full.storage.floats + (o * inShape[a] + range.lowerBound) * inner)
                    .update(from: g.storage.floats + o * range.count * inner, count: range.count * inner)
            }
            return [full]
        }
    }

    /// Joins tensors along an existing axis; all other dimensions must agree.
    public static func concatenate(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
        let first = tensors[0]
        guard let a = Shape.normalize(axis: axis, rank: first.rank), first.rank > 0 else {
            preconditionFailure("concatenate: axis \(axis) out of range for shape \(first.shape)")
        }
        for t in tensors {
            precondition(t.rank == first.rank && t.dtype == first.dtype
                         && zip(t.shape, first.shape).enumerated().allSatisfy { $0.offset == a || $0.element.0 == $0.element.1 },
                         "concatenate: shapes \(tensors.map(\.shape)) differ outside axis \(a)")
        }
        var outShape = first.shape
        outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let outer = first.shape[..<a].reduce(1, *), inner = first.shape[(a + 1)...].reduce(1, *)
        let out = Tensor(uninitializedShape: outShape, dtype: first.dtype)
        let bytes = first.dtype.byteSize
        let outRow = outShape[a] * inner * bytes
        var offset = 0
        for t in tensors {
            let chunk = t.shape[a] * inner * bytes
            for o in 0..<outer {
                (out.storage.raw + o * outRow + offset).copyMemory(from: t.storage.raw + o * chunk, byteCount: chunk)
            }
            offset += chunk
        }
        var bounds: [Range<Int>] = []
        var start = 0
        for t in tensors { bounds.append(start..<(start + t.shape[a])); start += t.shape[a] }
        return record(out, op: "concatenate", inputs: tensors) { g in bounds.map { g.slice(axis: a, $0) } }
    }

    /// Stacks equally shaped tensors along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack needs at least one tensor")
        precondition(tensors.allSatisfy { $0.shape == tensors[0].shape }, "stack: shapes \(tensors.map(\.shape)) differ")
        return concatenate(tensors.map { $0.expandingDims(at: axis) }, axis: axis)
    }

    /// Splits into pieces of the given sizes along `axis`.
    public func split(sizes: [Int], axis: Int = 0) -> [Tensor] {
        var start = 0
        return sizes.map { n in defer { start += n }; return slice(axis: axis, start..<(start + n)) }
    }
}
