import Foundation

/// The window and thresholds a deployment's data-quality and drift monitoring uses.
///
/// A feature has drifted when its test rejects "same distribution" at ``significance`` (Kolmogorov–Smirnov for
/// numbers, χ² for categories) **and** its PSI over ``bins`` reference-quantile bins is at least
/// ``psiThreshold``: the test alone flags negligible shifts in large windows, the PSI alone flags noise in small
/// ones. The inputs have drifted when at least ``driftShare`` of the features have.
public struct MonitoringSettings: Codable, Sendable, Equatable {
    /// The live rows compared with the reference: the most recent ones (a sliding window).
    public var windowRows = 1_000
    /// Rows the window needs before drift is judged.
    public var minimumRows = 100
    /// Bins of the PSI (edges at the reference's quantiles; ties merge bins).
    public var bins = 10
    /// The p-value below which a test rejects.
    public var significance = 0.01
    /// The PSI a drifted feature reaches at least.
    public var psiThreshold = 0.1
    /// The share of drifted features at which the drift alert fires.
    public var driftShare = 0.3
    /// The share of rows with a quality problem (or of rejected requests) at which the data-quality alert fires.
    public var qualityShare = 0.1
    /// How far outside the training range, in units of the range, a number is out of range.
    public var rangeTolerance = 0.1
    /// New rows between two evaluations of the window (snapshots and alerts).
    public var evaluateEveryRows = 100
    /// Seconds between two evaluations at least, so heavy traffic does not turn into a stream of snapshots.
    public var evaluateEverySeconds = 1.0

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case windowRows, minimumRows, bins, significance, psiThreshold, driftShare, qualityShare, rangeTolerance, evaluateEveryRows
        case evaluateEverySeconds
    }

    /// Missing fields keep their defaults, so a client may send only what it changes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        windowRows = try c.decodeIfPresent(Int.self, forKey: .windowRows) ?? windowRows
        minimumRows = try c.decodeIfPresent(Int.self, forKey: .minimumRows) ?? minimumRows
        bins = try c.decodeIfPresent(Int.self, forKey: .bins) ?? bins
        significance = try c.decodeIfPresent(Double.self, forKey: .significance) ?? significance
        psiThreshold = try c.decodeIfPresent(Double.self, forKey: .psiThreshold) ?? psiThreshold
        driftShare = try c.decodeIfPresent(Double.self, forKey: .driftShare) ?? driftShare
        qualityShare = try c.decodeIfPresent(Double.self, forKey: .qualityShare) ?? qualityShare
        rangeTolerance = try c.decodeIfPresent(Double.self, forKey: .rangeTolerance) ?? rangeTolerance
        evaluateEveryRows = try c.decodeIfPresent(Int.self, forKey: .evaluateEveryRows) ?? evaluateEveryRows
        evaluateEverySeconds = try c.decodeIfPresent(Double.self, forKey: .evaluateEverySeconds) ?? evaluateEverySeconds
    }

    /// The first setting out of its range, as a message naming it; nil when all are valid.
    public var problem: String? {
        if !(10...100_000).contains(windowRows) { return "windowRows must be between 10 and 100000 (got \(windowRows))" }
        if !(2...windowRows).contains(minimumRows) { return "minimumRows must be between 2 and windowRows (got \(minimumRows))" }
        if !(2...100).contains(bins) { return "bins must be between 2 and 100 (got \(bins))" }
        if !(significance > 0 && significance < 1) { return "significance must be between 0 and 1 (got \(significance))" }
        if !(psiThreshold >= 0 && psiThreshold.isFinite) { return "psiThreshold must be 0 or more (got \(psiThreshold))" }
        if !(driftShare > 0 && driftShare <= 1) { return "driftShare must be in (0, 1] (got \(driftShare))" }
        if !(qualityShare > 0 && qualityShare <= 1) { return "qualityShare must be in (0, 1] (got \(qualityShare))" }
        if !(rangeTolerance >= 0 && rangeTolerance.isFinite) { return "rangeTolerance must be 0 or more (got \(rangeTolerance))" }
        if !(1...100_000).contains(evaluateEveryRows) { return "evaluateEveryRows must be between 1 and 100000 (got \(evaluateEveryRows))" }
        if !(evaluateEverySeconds >= 0 && evaluateEverySeconds <= 86_400) {
            return "evaluateEverySeconds must be between 0 and 86400 (got \(evaluateEverySeconds))"
        }
        return nil
    }
}
