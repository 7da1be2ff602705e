import KouziBase
import KouziData

/// Statistics of one column of a ``RawTable``, as computed by ``TableProfile``.
public struct ColumnProfile: Sendable, Codable, Equatable {
    /// The column name.
    public var name: String
    /// The inferred type (see ``ColumnType`` for the rule).
    public var type: ColumnType
    /// Number of non-missing cells.
    public var count: Int
    /// Number of missing cells.
    public var missingCount: Int
    /// `missingCount / rowCount` (0 for a table without rows).
    public var missingFraction: Double
    /// Number of distinct values: distinct numbers for a numeric column (so `"1"` and `"1.0"` are one
    /// value, and cells that are not numbers are not counted), distinct texts otherwise.
    public var distinctCount: Int
    /// Number of non-missing cells that are not valid values of ``type`` (type errors).
    public var invalidCount: Int
    /// Summary of the numbers, for `integer` and `float` columns.
    public var numeric: NumericSummary?
    /// The 20 most frequent values (most frequent first, ties by text), for `categorical` and `boolean`
    /// columns.
    public var topValues: [ValueCount]?
    /// The number of non-missing cells whose value is not among ``topValues``.
    public var otherCount: Int?

    /// Creates a profile.
    public init(name: String, type: ColumnType, count: Int, missingCount: Int, missingFraction: Double,
                distinctCount: Int, invalidCount: Int, numeric: NumericSummary?, topValues: [ValueCount]?,
                otherCount: Int?) {
        self.name = name
        self.type = type
        self.count = count
        self.missingCount = missingCount
        self.missingFraction = missingFraction
        self.distinctCount = distinctCount
        self.invalidCount = invalidCount
        self.numeric = numeric
        self.topValues = topValues
        self.otherCount = otherCount
    }
}

/// Summary statistics of the numbers in a column.
public struct NumericSummary: Sendable, Codable, Equatable {
    /// The smallest value.
    public var min: Double
    /// The largest value.
    public var max: Double
    /// The arithmetic mean.
    public var mean: Double
    /// The sample standard deviation (divisor n − 1); nil for fewer than two values.
    public var std: Double?
    /// The first quartile (25th percentile, linear interpolation as NumPy's default).
    public var q1: Double
    /// The median.
    public var median: Double
    /// The third quartile (75th percentile).
    public var q3: Double
    /// The distribution in equal-width bins.
    public var histogram: Histogram

    /// Creates a summary.
    public init(min: Double, max: Double, mean: Double, std: Double?, q1: Double, median: Double, q3: Double,
                histogram: Histogram) {
        self.min = min
        self.max = max
        self.mean = mean
        self.std = std
        self.q1 = q1
        self.median = median
        self.q3 = q3
        self.histogram = histogram
    }

    /// The interquartile range `q3 − q1`.
    public var iqr: Double { q3 - q1 }

    /// Summarizes `sorted` (ascending, non-empty) with `bins` histogram bins.
    ///
    /// - Complexity: O(n).
    init(sorted: [Double], bins: Int) {
        let n = sorted.count
        precondition(n > 0 && bins > 0)
        var sum = 0.0
        for x in sorted { sum += x }
        let mean = sum / Double(n)
        var squares = 0.0
        for x in sorted { squares += (x - mean) * (x - mean) }
        self.init(min: sorted[0], max: sorted[n - 1], mean: mean,
                  std: n > 1 ? (squares / Double(n - 1)).squareRoot() : nil,
                  q1: Self.quantile(sorted, 0.25), median: Self.quantile(sorted, 0.5), q3: Self.quantile(sorted, 0.75),
                  histogram: Histogram(sorted: sorted, bins: bins))
    }

    /// The `p` quantile of ascending `sorted` values by linear interpolation between closest ranks
    /// (NumPy's default, Hyndman–Fan type 7).
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}

/// Counts of values in equal-width bins.
///
/// `edges` has one more element than `counts`; bin `i` holds values in `[edges[i], edges[i+1])`, the
/// last bin also its right edge. When every value is the same number `v`, the range is `v ± 0.5`, as in
/// NumPy.
public struct Histogram: Sendable, Codable, Equatable {
    /// The bin edges, ascending.
    public var edges: [Double]
    /// The number of values in each bin.
    public var counts: [Int]

    /// Creates a histogram.
    public init(edges: [Double], counts: [Int]) {
        self.edges = edges
        self.counts = counts
    }

    /// Bins ascending, non-empty `sorted` values.
    init(sorted: [Double], bins: Int) {
        var lo = sorted[0], hi = sorted[sorted.count - 1]
        if lo == hi { lo -= 0.5; hi += 0.5 }
        let width = (hi - lo) / Double(bins)
        var edges = (0...bins).map { lo + width * Double($0) }
        edges[bins] = hi
        var counts = [Int](repeating: 0, count: bins)
        let scale = Double(bins) / (hi - lo)
        for x in sorted {
            var index = Swift.min(Swift.max(Int((x - lo) * scale), 0), bins - 1)
            if x < edges[index] { index -= 1 } else if index + 1 < bins && x >= edges[index + 1] { index += 1 }
            counts[index] += 1
        }
        self.init(edges: edges, counts: counts)
    }
}

/// A value and how many cells hold it.
public struct ValueCount: Sendable, Codable, Equatable {
    /// The cell text.
    public var value: String
    /// The number of cells.
    public var count: Int

    /// Creates a value count.
    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}
