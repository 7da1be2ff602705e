/// The geometry of a tensor seen as lines along one axis: `outer` blocks, `length` entries along the
/// axis, `inner` elements between consecutive entries. Entry i of line (o, c) sits at
/// `o·length·inner + i·inner + c`.
struct AxisRows {
    let outer: Int
    let length: Int
    let inner: Int

    init(shape: [Int], axis: Int) {
        outer = shape[..<axis].reduce(1, *)
        length = shape[axis]
        inner = shape[(axis + 1)...].reduce(1, *)
    }

    /// The number of lines.
    var lines: Int { outer * inner }

    /// The offset of entry 0 of line `line` (lines numbered o·inner + c).
    @inline(__always)
    func start(ofLine line: Int) -> Int { (line / inner) * length * inner + line % inner }
}

/// The positions of an index tensor that addresses a target tensor along one axis, as PyTorch's
/// `gather`, `scatter_` and `scatter_add_` use it: position p (row-major over the index shape, with
/// coordinates c) stands for the target element with coordinates c, except c[axis] replaced by the
/// index value, and for the element with coordinates c of a source tensor (the values or the output).
struct AxisIndexWalk {
    let indexShape: [Int]
    let axis: Int
    /// Target strides with 0 along the axis (the index value supplies that coordinate).
    let targetSteps: [Int]
    /// The target's stride along the axis.
    let axisStride: Int
    let sourceSteps: [Int]

    init(indexShape: [Int], axis: Int, target: [Int], source: [Int]) {
        self.indexShape = indexShape
        self.axis = axis
        var t = Shape.strides(target)
        axisStride = t[axis]
        t[axis] = 0
        targetSteps = t
        sourceSteps = Shape.strides(source)
    }

    /// Calls `body(p, target offset of coordinate 0 along the axis, source offset)` for every position.
    func forEach(_ body: (_ position: Int, _ target: Int, _ source: Int) -> Void) {
        guard let inner = indexShape.last else { return }
        let tStep = targetSteps[targetSteps.count - 1], sStep = sourceSteps[sourceSteps.count - 1]
        forEachRow(shape: indexShape, strides: targetSteps, sourceSteps) { row, t, s in
            for i in 0..<inner { body(row + i, t + i * tStep, s + i * sStep) }
        }
    }
}

extension Tensor {
    /// The axis normalised to `0..<rank`, or a stop naming the operation and the shape.
    func resolvedAxis(_ axis: Int, _ op: String) -> Int {
        guard rank > 0, let a = Shape.normalize(axis: axis, rank: rank) else {
            preconditionFailure("\(op): axis \(axis) is out of range for shape \(shape)")
        }
        return a
    }

    /// What is wrong with `indices` (and `values`) addressing this tensor along `axis` with PyTorch's
    /// gather/scatter rules, or nil: the same rank everywhere, `indices.shape[d] <= shape[d]` for
    /// d ≠ axis, `indices.shape[d] <= values.shape[d]` for every d, matching dtypes, every index in
    /// `0..<shape[axis]`.
    func alongAxisProblem(_ indices: Tensor, axis: Int, values: Tensor?, operation op: String) -> TensorError? {
        guard rank > 0, let a = Shape.normalize(axis: axis, rank: rank) else {
            return .invalidAxis(axis: axis, rank: rank)
        }
        let expected = "rank \(rank) with sizes <= \(shape) off axis \(a)"
        guard indices.rank == rank,
              zip(indices.shape, shape).enumerated().allSatisfy({ $0.offset == a || $0.element.0 <= $0.element.1 }) else {
            return .shapeMismatch(operation: "\(op) indices", expected: expected, got: indices.shape)
        }
        if let values {
            guard values.dtype == dtype else { return .dtypeMismatch(operation: "\(op) values", expected: dtype, got: values.dtype) }
            guard values.rank == rank, zip(indices.shape, values.shape).allSatisfy({ $0 <= $1 }) else {
                return .shapeMismatch(operation: "\(op) values", expected: "rank \(rank) with sizes >= indices \(indices.shape)",
                                      got: values.shape)
            }
        }
        if let bad = indices.intScalars.first(where: { $0 < 0 || $0 >= shape[a] }) {
            return .indexOutOfRange(operation: op, index: bad, size: shape[a])
        }
        return nil
    }

    /// Stops with the problem's message unless `indices` (and `values`) fit this tensor along `axis`.
    func requireAlongAxis(_ indices: Tensor, axis: Int, values: Tensor?, operation: String) -> Int {
        if let problem = alongAxisProblem(indices, axis: axis, values: values, operation: operation) {
            preconditionFailure("\(problem) (tensor shape \(shape), indices \(indices.shape)"
                                + (values.map { ", values \($0.shape))" } ?? ")"))
        }
        return Shape.normalize(axis: axis, rank: rank)!
    }

    /// Throws unless `indices` may address this tensor along `axis` in ``takeAlongAxis(_:axis:)``, or
    /// together with `values` in ``scatter(axis:indices:values:)`` and ``scatterAdd(axis:indices:values:)``:
    /// for index tensors that come from outside the program.
    public func validateIndices(_ indices: Tensor, alongAxis axis: Int, values: Tensor? = nil) throws {
        if let problem = alongAxisProblem(indices, axis: axis, values: values, operation: values == nil ? "takeAlongAxis" : "scatter") {
            throw problem
        }
    }
}
