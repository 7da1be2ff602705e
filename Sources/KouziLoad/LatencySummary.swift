/// Percentiles of recorded latencies, by the nearest-rank method: the p-th percentile of n sorted values is the
/// value at rank ⌈p/100 · n⌉ (1-based), so it is always one of the recorded values.
struct LatencySummary: Equatable {
    var count: Int
    /// Milliseconds.
    var mean: Double, p50: Double, p90: Double, p99: Double, max: Double

    /// Summarises latencies given in nanoseconds (in any order); all zeros when there are none.
    init(nanoseconds: [UInt64]) {
        let sorted = nanoseconds.sorted()
        count = sorted.count
        let ms = { (value: UInt64) in Double(value) / 1e6 }
        guard !sorted.isEmpty else {
            mean = 0; p50 = 0; p90 = 0; p99 = 0; max = 0
            return
        }
        mean = sorted.reduce(0.0) { $0 + ms($1) } / Double(sorted.count)
        p50 = ms(Self.percentile(50, ofSorted: sorted))
        p90 = ms(Self.percentile(90, ofSorted: sorted))
        p99 = ms(Self.percentile(99, ofSorted: sorted))
        max = ms(sorted[sorted.count - 1])
    }

    /// The nearest-rank `p`-th percentile (0 < p ≤ 100) of non-empty ascending `values`.
    static func percentile<T>(_ p: Double, ofSorted values: [T]) -> T {
        precondition(!values.isEmpty && p > 0 && p <= 100, "percentile of an empty list or outside (0, 100]")
        let rank = Int((p * Double(values.count) / 100).rounded(.up))
        return values[Swift.min(Swift.max(rank, 1), values.count) - 1]
    }
}
