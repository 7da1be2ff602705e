import Foundation
import KouziMonitoring
import KouziTraining

/// A threshold crossed by a deployment's live inputs: firing while it holds, resolved once it no longer does.
/// Each episode is one record, so the list of alerts is also their history.
public struct Alert: Codable, Sendable, Equatable {
    /// What crossed its threshold.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The share of drifted features reached `driftShare`.
        case drift
        /// Rows with missing, out-of-range or unseen values, or refused requests, reached `qualityShare`.
        case dataQuality = "data_quality"
    }

    public var id: Int64
    public var projectID: Int64
    public var deployment: String
    public var kind: Kind
    /// `firing` or `resolved`.
    public var state: String
    /// The watched share at the last evaluation while firing.
    public var value: Double
    public var threshold: Double
    public var message: String
    public var startedAt: Int64
    public var updatedAt: Int64
    public var resolvedAt: Int64?

    init(row: SQLRow) throws {
        id = try row.int("id")
        projectID = try row.int("project_id")
        deployment = try row.text("deployment_name")
        kind = Kind(rawValue: try row.text("kind")) ?? .drift
        state = try row.text("state")
        value = try row.double("value")
        threshold = try row.double("threshold")
        message = try row.text("message")
        startedAt = try row.int("started_at")
        updatedAt = try row.int("updated_at")
        resolvedAt = try row.optionalInt("resolved_at")
    }

    /// Whether the report crosses this kind's threshold (nil: not enough data to say), with the value and message.
    static func check(_ kind: Kind, _ report: MonitoringReport) -> (firing: Bool, value: Double, threshold: Double, message: String)? {
        let settings = report.settings
        switch kind {
        case .drift:
            guard report.evaluated else { return nil }
            let names = report.driftedFeatures.prefix(8).joined(separator: ", ") + (report.driftedFeatures.count > 8 ? ", …" : "")
            return (report.drift, report.driftedShare, settings.driftShare,
                    "\(report.driftedFeatures.count) of \(report.features.count) features drifted "
                        + "(\(percent(report.driftedShare)); alert at \(percent(settings.driftShare)))"
                        + (names.isEmpty ? "" : ": \(names)"))
        case .dataQuality:
            guard report.evaluated || report.requests >= settings.minimumRows else { return nil }
            return (report.qualityProblem, report.qualityShare, settings.qualityShare,
                    "\(percent(report.problemRowShare)) of the last \(report.rows) rows have missing, out-of-range or unseen values; "
                        + "\(report.rejectedRequests) of the last \(report.requests) requests were refused for their inputs "
                        + "(alert at \(percent(settings.qualityShare)))")
        }
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }

    /// Opens, updates or resolves the deployment's alerts after an evaluation; returns the alerts that changed state.
    static func apply(_ tx: any SQLExecutor, deployment: Deployment, report: MonitoringReport, at now: Int64) async throws -> [Alert] {
        var changed: [Alert] = []
        for kind in Kind.allCases {
            guard let check = check(kind, report) else { continue }
            let open = try await tx.first("SELECT * FROM alerts WHERE deployment_name = ? AND kind = ? AND state = 'firing'",
                                          deployment.name, kind.rawValue)
            switch (open, check.firing) {
            case (nil, true):
                let row = try await tx.first("""
                    INSERT INTO alerts (project_id, deployment_name, kind, state, value, threshold, message, started_at, updated_at)
                    VALUES (?, ?, ?, 'firing', ?, ?, ?, ?, ?) RETURNING *
                    """, deployment.projectID, deployment.name, kind.rawValue, check.value, check.threshold, check.message, now, now)!
                changed.append(try Alert(row: row))
            case let (row?, true):
                try await tx.execute("UPDATE alerts SET value = ?, threshold = ?, message = ?, updated_at = ? WHERE id = ?",
                                     check.value, check.threshold, check.message, now, try row.int("id"))
            case let (row?, false):
                let resolved = try await tx.first("""
                    UPDATE alerts SET state = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ? RETURNING *
                    """, now, now, try row.int("id"))!
                changed.append(try Alert(row: resolved))
            case (nil, false): break
            }
        }
        return changed
    }
}
