import KouziTensor

/// Partial dependence (Friedman 2001) and individual conditional expectation curves (Goldstein et al. 2015) of one
/// table feature: every row is predicted again with the feature set to each value of a grid; the rows' curves are
/// the ICE curves and their mean is the partial dependence.
public struct PartialDependence: Sendable, Equatable {
    /// The feature's values the curves are drawn at.
    public var grid: [Double]
    /// `average[point][output]`: the mean output over the rows.
    public var average: [[Double]]
    /// `individual[row][point][output]`: each row's curve.
    public var individual: [[[Double]]]

    /// The most grid points.
    public static let maximumPoints = 1000

    /// The curves of feature `feature` of `x` (`[rows, features]`).
    /// - Parameters:
    ///   - grid: the values to set (nil: `points` quantiles of the feature from the 5th to the 95th percentile, as
    ///     scikit-learn does, or its distinct values when there are fewer).
    public static func compute(predict: (Tensor) throws -> Tensor, x: Tensor, feature: Int, grid: [Double]? = nil,
                               points: Int = 20) throws -> PartialDependence {
        guard x.rank == 2, x.shape[0] >= 1 else { throw ExplainError.invalidInput("the rows must be a matrix [rows, features], got \(x.shape)") }
        let rows = x.shape[0], width = x.shape[1]
        guard (0..<width).contains(feature) else {
            throw ExplainError.invalidSetting("feature \(feature) is not one of the \(width) features")
        }
        guard (2...maximumPoints).contains(points) else {
            throw ExplainError.invalidSetting("points must be between 2 and \(maximumPoints), got \(points)")
        }
        let values = x.cast(to: .float32).scalars
        let column = (0..<rows).map { Double(values[$0 * width + feature]) }
        let grid = grid ?? Self.grid(column, points: points)
        guard !grid.isEmpty, grid.count <= maximumPoints, grid.allSatisfy(\.isFinite) else {
            throw ExplainError.invalidSetting("the grid must hold 1 to \(maximumPoints) finite values")
        }
        var batch = [Float]()
        batch.reserveCapacity(rows * grid.count * width)
        for r in 0..<rows {
            let row = values[(r * width)..<((r + 1) * width)]
            for v in grid {
                batch.append(contentsOf: row)
                batch[batch.count - width + feature] = Float(v)
            }
        }
        let y = try predict(Tensor(shape: [rows * grid.count, width], scalars: batch))
        let outputs = y.rank == 2 ? y.shape[1] : 1
        guard y.shape[0] == rows * grid.count else { throw ExplainError.invalidInput("the model answered \(y.shape[0]) rows for \(rows * grid.count)") }
        let p = y.scalars
        let individual = (0..<rows).map { r in
            grid.indices.map { g in (0..<outputs).map { Double(p[(r * grid.count + g) * outputs + $0]) } }
        }
        let average = grid.indices.map { g in
            (0..<outputs).map { k in individual.reduce(0) { $0 + $1[g][k] } / Double(rows) }
        }
        return PartialDependence(grid: grid, average: average, individual: individual)
    }

    /// `points` quantiles from the 5th to the 95th percentile (linear interpolation), or the distinct values when
    /// there are no more than `points`.
    static func grid(_ column: [Double], points: Int) -> [Double] {
        let distinct = Array(Set(column)).sorted()
        if distinct.count <= points { return distinct }
        let sorted = column.sorted()
        let quantiles = (0..<points).map { i -> Double in
            let q = 0.05 + 0.9 * Double(i) / Double(points - 1)
            let at = q * Double(sorted.count - 1)
            let low = Int(at.rounded(.down)), high = Swift.min(low + 1, sorted.count - 1)
            return sorted[low] + (sorted[high] - sorted[low]) * (at - Double(low))
        }
        var unique: [Double] = []
        for q in quantiles where unique.last != q { unique.append(q) }
        return unique
    }
}
