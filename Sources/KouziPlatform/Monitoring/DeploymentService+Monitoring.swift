import Foundation
import KouziMonitoring
import KouziTraining

/// A deployment's monitoring as the API shows it.
public struct DeploymentMonitoring: Codable, Sendable {
    public var deployment: String
    /// The version whose training reference the live inputs are compared with.
    public var version: Int64?
    public var settings: MonitoringSettings
    /// The window evaluated now; nil when there is nothing to evaluate, as `reason` says.
    public var report: MonitoringReport?
    public var reason: String?
    /// The deployment's firing alerts.
    public var alerts: [Alert]
}

extension DeploymentService {
    /// The deployment's live-input window evaluated now, its settings and firing alerts (viewers).
    public func monitoring(_ principal: Principal, projectID: Int64, name: String) async throws -> DeploymentMonitoring {
        let deployment = try await get(principal, projectID: projectID, name: name)
        let alerts = try await store.read { tx in
            try await tx.query("SELECT * FROM alerts WHERE deployment_name = ? AND state = 'firing' ORDER BY id", name).map(Alert.init(row:))
        }
        var result = DeploymentMonitoring(deployment: name, version: nil, settings: deployment.monitoring, report: nil, reason: nil,
                                          alerts: alerts)
        if let (report, version) = monitor.report(name, settings: deployment.monitoring) {
            result.report = report
            result.version = version
        } else if host.state(name).ready is ServedRecommender {
            result.reason = "recommenders are watched through their request metrics; their inputs are ids, not features"
        } else if let served = host.state(name).ready as? ServedModel, served.monitored?.reference == nil {
            result.reason = served.monitored == nil
                ? "version \(served.version) is served by a codec that reads no monitored features"
                : "version \(served.version) was trained without a reference profile of its inputs (retrain it to monitor drift)"
        } else {
            result.reason = "this server process has answered no request for '\(name)' since it started"
        }
        return result
    }

    /// Changes the deployment's monitoring window and thresholds (editors); fields left out keep their defaults.
    public func setMonitoring(_ principal: Principal, projectID: Int64, name: String, settings: MonitoringSettings) async throws -> Deployment {
        try await accounts.require(principal, .editor, in: projectID)
        if let problem = settings.problem { throw PlatformError.invalid("monitoring", problem) }
        let text = try jsonText(settings)
        let updated = try await store.write { tx in
            guard let row = try await tx.first("UPDATE deployments SET monitoring = ?, updated_at = ? WHERE name = ? AND project_id = ? RETURNING *",
                                               text, Clock.nowMillis(), name, projectID) else {
                throw PlatformError.notFound("deployment", name)
            }
            var deployment = try Deployment(row: row)
            deployment.variants = try await Self.variants(tx, deploymentID: deployment.id)
            return deployment
        }
        rowCache.put(name, updated)
        return describe(updated)
    }

    /// How many monitoring snapshots or alerts one call may list.
    public static let listLimits = 1...10_000

    /// Stored evaluations of the deployment, oldest first, from `since` (milliseconds) on (viewers).
    public func monitoringHistory(_ principal: Principal, projectID: Int64, name: String, since: Int64?, limit: Int) async throws
        -> [MonitoringSnapshot] {
        let deployment = try await get(principal, projectID: projectID, name: name)
        guard Self.listLimits.contains(limit) else { throw PlatformError.invalid("limit", "must be between 1 and 10000 (got \(limit))") }
        return try await store.read { tx in
            // The most recent `limit` snapshots, returned oldest first.
            try await tx.query("""
                SELECT * FROM (SELECT * FROM monitoring_snapshots WHERE deployment_id = ? AND created_at >= ?
                    ORDER BY created_at DESC, id DESC LIMIT ?) AS recent ORDER BY created_at, id
                """, deployment.id, since ?? 0, Int64(limit)).map(MonitoringSnapshot.init(row:))
        }
    }

    /// Alerts of a project, newest first: all, or those in `state` (`firing`, `resolved`), of one deployment or all.
    public func alerts(_ principal: Principal, projectID: Int64, state: String?, deployment: String?, limit: Int) async throws -> [Alert] {
        try await accounts.require(principal, .viewer, in: projectID)
        if let state, !["firing", "resolved"].contains(state) {
            throw PlatformError.invalid("state", "must be 'firing' or 'resolved' (got '\(state)')")
        }
        guard Self.listLimits.contains(limit) else { throw PlatformError.invalid("limit", "must be between 1 and 10000 (got \(limit))") }
        return try await store.read { tx in
            try await tx.query("""
                SELECT * FROM alerts WHERE project_id = ? AND (? = '' OR state = ?) AND (? = '' OR deployment_name = ?)
                ORDER BY id DESC LIMIT ?
                """, projectID, state ?? "", state ?? "", deployment ?? "", deployment ?? "", Int64(limit)).map(Alert.init(row:))
        }
    }
}
