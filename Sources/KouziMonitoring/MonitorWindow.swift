import Foundation
import KouziData

/// The most recent live inputs of a deployment, feature by feature, in fixed-size ring buffers, and the report
/// comparing them with the training reference.
///
/// Appending is O(rows × features) with no allocation once the buffers are full; ``report(_:)`` sorts the window
/// (O(w log w) per numeric feature).
package struct MonitorWindow: Sendable {
    package let reference: ReferenceProfile
    package let capacity: Int
    /// Numbers per numeric feature (NaN: missing) or labels per categorical one.
    private var numbers: [[Double]]
    private var labels: [[String?]]
    private var next = 0
    private(set) package var count = 0
    private(set) package var rowsSeen = 0
    /// Whether each recent request was refused for its inputs.
    private var outcomes: [Bool]
    private var nextOutcome = 0, outcomeCount = 0

    package init(reference: ReferenceProfile, capacity: Int) {
        self.reference = reference
        self.capacity = Swift.max(1, capacity)
        numbers = reference.features.map { $0.kind == .numeric ? [Double](repeating: .nan, count: capacity) : [] }
        labels = reference.features.map { $0.kind == .categorical ? [String?](repeating: nil, count: capacity) : [] }
        outcomes = [Bool](repeating: false, count: capacity)
    }

    /// Adds rows: one column per reference feature, in its order (a missing column: all values missing).
    package mutating func append(_ columns: [DataTable.Column?], rows: Int) {
        guard rows > 0 else { return }
        for (f, feature) in reference.features.enumerated() {
            let column = f < columns.count ? columns[f] : nil
            switch feature.kind {
            case .numeric:
                let values = column?.numericValues
                for i in 0..<rows {
                    let value = values.flatMap { i < $0.count ? $0[i] : nil }
                    numbers[f][(next + i) % capacity] = value.flatMap { $0.isFinite ? $0 : nil } ?? .nan
                }
            case .categorical:
                let values = column?.textValues
                for i in 0..<rows { labels[f][(next + i) % capacity] = values.flatMap { i < $0.count ? $0[i] : nil } }
            }
        }
        next = (next + rows) % capacity
        count = Swift.min(capacity, count + rows)
        rowsSeen += rows
        note(rejected: false)
    }

    /// Records a request refused for its inputs.
    package mutating func reject() { note(rejected: true) }

    private mutating func note(rejected: Bool) {
        outcomes[nextOutcome] = rejected
        nextOutcome = (nextOutcome + 1) % capacity
        outcomeCount = Swift.min(capacity, outcomeCount + 1)
    }

    /// Data quality and drift of the window.
    package func report(_ settings: MonitoringSettings) -> MonitoringReport {
        var problemRows = [Bool](repeating: false, count: count)
        var features: [FeatureDrift] = []
        for (f, feature) in reference.features.enumerated() {
            let drift = feature.kind == .numeric
                ? numeric(feature, Array(numbers[f].prefix(count)), settings, &problemRows)
                : categorical(feature, Array(labels[f].prefix(count)), settings, &problemRows)
            features.append(drift)
        }
        let evaluated = count >= settings.minimumRows
        let drifted = evaluated ? features.filter(\.drifted).map(\.name) : []
        let share = features.isEmpty ? 0 : Double(drifted.count) / Double(features.count)
        let rejected = outcomes.prefix(outcomeCount).filter { $0 }.count
        var report = MonitoringReport(
            source: reference.source.rawValue, rows: count, rowsSeen: rowsSeen, requests: outcomeCount, rejectedRequests: rejected,
            evaluated: evaluated, features: features, driftedFeatures: drifted, driftedShare: share,
            drift: evaluated && !features.isEmpty && share >= settings.driftShare,
            problemRowShare: count == 0 ? 0 : Double(problemRows.filter { $0 }.count) / Double(count),
            qualityProblem: false, settings: settings)
        report.qualityProblem = (evaluated || outcomeCount >= settings.minimumRows) && report.qualityShare >= settings.qualityShare
        return report
    }

    private func numeric(_ feature: FeatureReference, _ window: [Double], _ settings: MonitoringSettings,
                         _ problems: inout [Bool]) -> FeatureDrift {
        let present = window.filter { !$0.isNaN }.sorted()
        let sketch = (feature.sketch ?? []).map(Double.init)
        let edges = DriftStatistics.quantileEdges(sorted: sketch, bins: settings.bins)
        let referenceShares = DriftStatistics.shares(sketch, edges: edges)
        let liveShares = DriftStatistics.shares(present, edges: edges)
        let ks = DriftStatistics.kolmogorovSmirnov(present, sketch)
        let psi = present.isEmpty || sketch.isEmpty ? 0 : DriftStatistics.psi(reference: referenceShares, live: liveShares)
        var outOfRange = 0
        if let low = feature.minimum, let high = feature.maximum {
            let margin = (high - low) * settings.rangeTolerance
            for (row, value) in window.enumerated() {
                if value.isNaN {
                    if feature.missingShare == 0 { problems[row] = true }
                } else if value < low - margin || value > high + margin {
                    outOfRange += 1
                    problems[row] = true
                }
            }
        }
        let rows = Swift.max(1, window.count)
        return FeatureDrift(
            name: feature.name, kind: "numeric", test: "kolmogorov_smirnov", statistic: ks.statistic, pValue: ks.pValue, psi: psi,
            drifted: !present.isEmpty && ks.pValue < settings.significance && psi >= settings.psiThreshold,
            rows: present.count, missingShare: Double(window.count - present.count) / Double(rows),
            outOfRangeShare: Double(outOfRange) / Double(rows), unseenShare: nil, bins: Self.binLabels(edges),
            referenceShares: referenceShares, liveShares: liveShares, referenceMean: feature.mean,
            liveMean: present.isEmpty ? nil : present.reduce(0, +) / Double(present.count))
    }

    private func categorical(_ feature: FeatureReference, _ window: [String?], _ settings: MonitoringSettings,
                             _ problems: inout [Bool]) -> FeatureDrift {
        let categories = feature.categories ?? []
        let index = Dictionary(categories.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var observed = [Double](repeating: 0, count: categories.count + 1)
        var unseen = 0, missing = 0
        for (row, value) in window.enumerated() {
            guard let value else {
                missing += 1
                if feature.missingShare == 0 { problems[row] = true }
                continue
            }
            if let i = index[value] { observed[i] += 1 } else {
                observed[categories.count] += 1
                if feature.listsEveryCategory {
                    unseen += 1
                    problems[row] = true
                }
            }
        }
        var shares = feature.categoryShares ?? []
        if shares.count == categories.count { shares.append(0) }
        let present = observed.reduce(0, +)
        // Laplace-smoothed reference shares: a category training never had still expects a little.
        let n = Double(Swift.max(1, feature.count)), k = Double(shares.count)
        let smoothed = shares.map { ($0 * n + 0.5) / (n + 0.5 * k) }
        let chi = DriftStatistics.chiSquare(observed: observed, expected: smoothed.map { $0 * present })
        let liveShares = observed.map { $0 / Swift.max(1, present) }
        let psi = present == 0 ? 0 : DriftStatistics.psi(reference: shares, live: liveShares)
        let rows = Double(Swift.max(1, window.count))
        return FeatureDrift(
            name: feature.name, kind: "categorical", test: "chi_square", statistic: chi.statistic, pValue: chi.pValue, psi: psi,
            drifted: present > 0 && chi.pValue < settings.significance && psi >= settings.psiThreshold,
            rows: Int(present), missingShare: Double(missing) / rows, outOfRangeShare: nil, unseenShare: Double(unseen) / rows,
            bins: categories + ["(other)"], referenceShares: shares, liveShares: liveShares, referenceMean: nil, liveMean: nil)
    }

    /// `≤ e₀`, `(e₀, e₁]`, …, `> eₙ`.
    static func binLabels(_ edges: [Double]) -> [String] {
        guard !edges.isEmpty else { return ["all"] }
        let text = edges.map { String(format: "%.4g", $0) }
        var labels = ["≤ \(text[0])"]
        for i in 1..<text.count { labels.append("(\(text[i - 1]), \(text[i])]") }
        labels.append("> \(text[text.count - 1])")
        return labels
    }
}
