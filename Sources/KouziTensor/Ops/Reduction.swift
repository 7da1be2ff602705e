extension Tensor {
    /// Sum over `axes` (all when nil).
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let ax = resolveAxes(axes, op: "sum")
        let kept = sumKernel(axes: ax)
        let inShape = shape
        let out = keepDims ? kept : kept.reshapedRaw(Tensor.dropAxes(kept.shape, ax))
        let keptShape = kept.shape
        return Tensor.record(out, op: "sum", inputs: [self]) { g in [g.reshapedRaw(keptShape).broadcast(to: inShape)] }
    }

    /// Sum over one axis.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { sum(axes: [axis], keepDims: keepDims) }

    /// Mean over `axes` (all when nil).
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let ax = resolveAxes(axes, op: "mean")
        let n = ax.reduce(1) { $0 * shape[$1] }
        return sum(axes: ax, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// Mean over one axis.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor { mean(axes: [axis], keepDims: keepDims) }

    /// Variance over `axes` with `correction` subtracted from the count (0: population, 1: sample).
    public func variance(axes: [Int]? = nil, keepDims: Bool = false, correction: Int = 0) -> Tensor {
        let ax = resolveAxes(axes, op: "variance")
        let n = ax.reduce(1) { $0 * shape[$1] }
        let centred = self - mean(axes: ax, keepDims: true)
        return centred.square().sum(axes: ax, keepDims: keepDims) * (1 / Float(Swift.max(n - correction, 1)))
    }

    /// Standard deviation over `axes`.
    public func standardDeviation(axes: [Int]? = nil, keepDims: Bool = false, correction: Int = 0) -> Tensor {
        variance(axes: axes, keepDims: keepDims, correction: correction).sqrt()
    }

    /// Maximum over `axes`; the gradient is shared equally among tied maxima.
    public func max(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor { extremum(axes: axes, keepDims: keepDims, max: true) }

    /// Minimum over `axes`; the gradient is shared equally among tied minima.
    public func min(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor { extremum(axes: axes, keepDims: keepDims, max: false) }

    /// Maximum over one axis.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor { max(axes: [axis], keepDims: keepDims) }
    /// Minimum over one axis.
    public func min(axis: Int, keepDims: Bool = false) -> Tensor { min(axes: [axis], keepDims: keepDims) }

    private func extremum(axes: [Int]?, keepDims: Bool, max isMax: Bool) -> Tensor {
        let ax = resolveAxes(axes, op: isMax ? "max" : "min")
        precondition(count > 0, "\(isMax ? "max" : "min") of an empty tensor")
        let kept = extremumKernel(axes: ax, max: isMax)
        let out = keepDims ? kept : kept.reshapedRaw(Tensor.dropAxes(kept.shape, ax))
        let d = detached(), keptShape = kept.shape
        return Tensor.record(out, op: isMax ? "max" : "min", inputs: [self]) { g in
            let mask = d.equal(kept)
            let ties = mask.sumKernel(axes: ax)
            return [mask * (g.reshapedRaw(keptShape) / ties)]
        }
    }

    /// Indices of the maxima along `axis` (Int64, the axis removed).
    public func argmax(axis: Int = -1) -> Tensor { argExtremum(axis: axis, max: true) }

    /// Indices of the minima along `axis` (Int64, the axis removed).
    public func argmin(axis: Int = -1) -> Tensor { argExtremum(axis: axis, max: false) }

    private func argExtremum(axis: Int, max isMax: Bool) -> Tensor {
        guard let a = Shape.normalize(axis: axis, rank: rank), rank > 0 else {
            preconditionFailure("argmax: axis \(axis) is out of range for shape \(shape)")
        }
        var perm = Array(0..<rank)
        perm.remove(at: a); perm.append(a)
        let moved = a == rank - 1 ? self.cast(to: .float32) : self.cast(to: .float32).permuteKernel(perm)
        let n = shape[a]
        precondition(n > 0, "argmax along an empty axis")
        let rows = moved.count / n
        var outShape = shape; outShape.remove(at: a)
        let out = Tensor(uninitializedShape: outShape, dtype: .int64)
        let p = moved.storage.floats, o = out.storage.pointer(Int64.self)
        for r in 0..<rows {
            let row = p + r * n
            var best = 0, bv = row[0]
            for i in 1..<n where isMax ? row[i] > bv : row[i] < bv { best = i; bv = row[i] }
            o[r] = Int64(best)
        }
        return out
    }

    static func dropAxes(_ shape: [Int], _ axes: [Int]) -> [Int] {
        shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }
}
