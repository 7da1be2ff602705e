import Foundation
import KouziMonitoring
import KouziTraining

/// One evaluation of a deployment's window, kept so drift and data quality can be followed over time.
public struct MonitoringSnapshot: Codable, Sendable, Equatable {
    /// A feature's numbers at that evaluation.
    public struct Feature: Codable, Sendable, Equatable {
        public var name: String
        public var psi: Double
        public var pValue: Double
        public var drifted: Bool
        public var missingShare: Double
        public var outOfRangeShare: Double?
        public var unseenShare: Double?
    }

    public var id: Int64
    public var at: Int64
    public var version: Int64
    /// Rows in the window.
    public var rows: Int
    public var driftedShare: Double
    public var drift: Bool
    public var qualityShare: Double
    public var features: [Feature]

    init(row: SQLRow) throws {
        id = try row.int("id")
        at = try row.int("created_at")
        version = try row.int("version_number")
        rows = Int(try row.int("rows_count"))
        driftedShare = try row.double("drifted_share")
        drift = try row.bool("drift")
        qualityShare = try row.double("quality_share")
        features = try JSONDecoder().decode([Feature].self, from: Data(try row.text("summary").utf8))
    }

    /// Stores an evaluation.
    static func insert(_ tx: any SQLExecutor, deploymentID: Int64, version: Int64, report: MonitoringReport, at now: Int64) async throws {
        let features = report.features.map {
            Feature(name: $0.name, psi: $0.psi, pValue: $0.pValue, drifted: $0.drifted, missingShare: $0.missingShare,
                    outOfRangeShare: $0.outOfRangeShare, unseenShare: $0.unseenShare)
        }
        try await tx.execute("""
            INSERT INTO monitoring_snapshots (deployment_id, version_number, created_at, rows_count, drifted_share, drift,
                quality_share, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, deploymentID, version, now, Int64(report.rows), report.driftedShare, report.drift ? 1 : 0,
                             report.qualityShare, try jsonText(features))
    }
}
