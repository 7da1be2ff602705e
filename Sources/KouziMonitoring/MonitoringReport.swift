import Foundation

/// Data quality and drift of a deployment's recent inputs against its training data.
public struct MonitoringReport: Codable, Sendable, Equatable {
    /// `table`, `images` or `text`: what the features are computed from.
    public var source: String
    /// Live rows in the window now.
    public var rows: Int
    /// Rows seen since the model was loaded in this process.
    public var rowsSeen: Int
    /// Requests in the window of recent requests, and those refused for their inputs (schema violations).
    public var requests: Int
    public var rejectedRequests: Int
    /// Whether the window held enough rows to judge drift.
    public var evaluated: Bool
    public var features: [FeatureDrift]
    /// The features that drifted, and their share of all features.
    public var driftedFeatures: [String]
    public var driftedShare: Double
    /// Whether the share reached the drift threshold (and the window was evaluated).
    public var drift: Bool
    /// Rows with a missing value where training had none, a number out of range or an unseen category.
    public var problemRowShare: Double
    /// Whether problem rows or rejected requests reached the quality threshold.
    public var qualityProblem: Bool
    public var settings: MonitoringSettings

    /// The larger of the problem-row share and the rejected-request share: what the quality alert watches.
    public var qualityShare: Double {
        Swift.max(problemRowShare, requests > 0 ? Double(rejectedRequests) / Double(requests) : 0)
    }
}

/// One feature's live distribution against its reference.
public struct FeatureDrift: Codable, Sendable, Equatable {
    public var name: String
    /// `numeric` or `categorical`.
    public var kind: String
    /// `kolmogorov_smirnov` or `chi_square`.
    public var test: String
    public var statistic: Double
    public var pValue: Double
    public var psi: Double
    public var drifted: Bool
    /// Live values present in the window.
    public var rows: Int
    public var missingShare: Double
    /// Numbers beyond the training range widened by the tolerance.
    public var outOfRangeShare: Double?
    /// Categories training never saw.
    public var unseenShare: Double?
    /// The bins (`≤ 1.5`, `(1.5, 3]`, `> 3`) or categories the shares are over.
    public var bins: [String]
    public var referenceShares: [Double]
    public var liveShares: [Double]
    public var referenceMean: Double?
    public var liveMean: Double?
}
