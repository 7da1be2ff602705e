import KouziBase
import Foundation
import KouziNN
import KouziTraining

extension JobRunner {
    /// Trains a recommender template: scores it on held-out interactions, refits on all of them, and registers the
    /// model with its scores (`holdout_rmse`, `holdout_recall@10`, …) and lineage.
    func trainRecommender(_ job: Job, plan: TrainingPlan, runID: String) async throws -> JobOutcome {
        let jobs = platform.jobs, tracking = platform.tracking
        let work = workDirectory(job.id)
        let train = try await materialize(job.dataset, projectID: job.projectID, into: work.appendingPathComponent("inputs/train"))
        try await jobs.log(jobID: job.id, "training \(plan.modelName) on dataset \(job.dataset.id) version \(job.dataset.version)")
        let session = RecommenderSession(plan: plan, train: train)
        session.onLog = { line in try? blockingWait { try await jobs.log(jobID: job.id, line) } }
        let output = work.appendingPathComponent("model.kouzi").path
        let outcome = try await onThread("kouzi-job-\(job.id)") { try session.run(output: output) }
        let package = work.appendingPathComponent("model.zip").path
        try ModelPackage.pack(directory: output, to: package)
        let metrics = Dictionary(uniqueKeysWithValues: outcome.metrics.map { ("holdout_\($0.key)", $0.value) })
        let version = try await platform.models.registerTrained(
            projectID: job.projectID, modelName: job.modelName ?? plan.modelName, packagePath: package, userID: job.createdBy,
            update: ModelVersionUpdate(description: "Trained by job \(job.id) (\(plan.modelName)); scored on \(outcome.evaluation)",
                                       metrics: metrics, tags: ["kouzi.job": String(job.id), "kouzi.template": plan.modelName]),
            lineage: ModelLineage(datasetID: job.dataset.id, datasetVersion: job.dataset.version, runID: runID))
        try await tracking.logMetrics(runID: runID, metrics.map {
            MetricPoint(key: $0.key, value: $0.value, timestamp: Clock.nowMillis(), step: 1)
        })
        try await tracking.setTags(runID: runID, ["kouzi.model": "\(version.modelID)", "kouzi.model_version": "\(version.number)"])
        try await jobs.log(jobID: job.id, "registered model \(version.modelID) version \(version.number); held-out scores: "
            + Self.describe(outcome.metrics))
        let result: JSONValue = .object([
            "modelId": .number(Double(version.modelID)), "modelVersion": .number(Double(version.number)),
            "metrics": .object(outcome.metrics.mapValues(JSONValue.number)), "evaluation": .string(outcome.evaluation),
            "interactions": .number(Double(outcome.interactions)), "users": .number(Double(outcome.users)),
            "items": .number(Double(outcome.items)), "skippedRows": .number(Double(outcome.skippedRows)),
        ])
        return JobOutcome(state: .succeeded, result: try jsonText(result), modelID: version.modelID, modelVersion: version.number)
    }
}
