import Foundation
import KouziBase
import KouziTasks

/// The column importances of a model's versions, as their latest finished explanation jobs measured them: what the
/// version page shows and what compares versions.
public struct ModelImportances: Codable, Sendable, Equatable {
    /// One version's importances.
    public struct Version: Codable, Sendable, Equatable {
        public var version: Int64
        /// The explanation job that measured them.
        public var jobID: Int64
        /// The labelled data they were measured on.
        public var dataset: DatasetReference
        public var finishedAt: Int64?
        /// `accuracy` or `r2`.
        public var metric: String
        /// The score on the intact rows.
        public var baseline: Double
        public var rows: Int
        public var repeats: Int
        /// Each column's mean drop of the score when shuffled, with its 95 % interval, in the model's column order.
        public var columns: [Column]
    }

    /// One column's importance.
    public struct Column: Codable, Sendable, Equatable {
        public var name: String
        public var mean: Double
        public var standardDeviation: Double
        public var lower: Double
        public var upper: Double
    }

    /// An explanation job's stored result.
    struct Result: Codable {
        var importances: ColumnImportances
    }

    public var modelID: Int64
    /// The versions measured, newest version first.
    public var versions: [Version]
}

extension JobService {
    /// The latest column importances of each version of model `modelID` (viewers).
    public func importances(_ principal: Principal, projectID: Int64, modelID: Int64) async throws -> ModelImportances {
        try await accounts.require(principal, .viewer, in: projectID)
        let jobs = try await store.read { tx in
            _ = try await ModelRegistry.model(tx, projectID: projectID, modelID: modelID)
            return try await tx.query("""
                SELECT * FROM jobs WHERE project_id = ? AND model_id = ? AND kind = 'explain' AND state = 'succeeded'
                ORDER BY model_version DESC, id DESC
                """, projectID, modelID).map(Job.init(row:))
        }
        var seen = Set<Int64>()
        var versions: [ModelImportances.Version] = []
        for job in jobs {
            guard let number = job.modelVersion, seen.insert(number).inserted, let result = job.result else { continue }
            let stored = try JSONDecoder().decode(ModelImportances.Result.self, from: JSONEncoder().encode(result)).importances
            versions.append(.init(version: number, jobID: job.id, dataset: job.dataset, finishedAt: job.finishedAt, metric: stored.metric,
                                  baseline: stored.baseline, rows: stored.rows, repeats: stored.repeats,
                                  columns: stored.columns.map {
                                      .init(name: $0.name, mean: $0.mean, standardDeviation: $0.standardDeviation, lower: $0.lower, upper: $0.upper)
                                  }))
        }
        return ModelImportances(modelID: modelID, versions: versions)
    }
}
