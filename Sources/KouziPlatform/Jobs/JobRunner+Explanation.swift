import Foundation
import KouziBase
import KouziTasks
import KouziTraining

extension JobRunner {
    /// Measures the column importances of a table model version on a labelled dataset version: the job's result holds
    /// them (``ModelImportances`` reads them back per version), and its run logs each as the metric `importance/<column>`.
    func explain(_ job: Job, control: JobControl) async throws -> JobOutcome {
        guard let modelID = job.modelID, let number = job.modelVersion else {
            throw PlatformError(.badRequest, code: "invalid_job", "explanation job \(job.id) names no model version")
        }
        let submission = try job.submission(as: ExplanationSubmission.self)
        let work = workDirectory(job.id)
        let data = try await materialize(job.dataset, projectID: job.projectID, into: work.appendingPathComponent("inputs/data"))
        let directory = work.appendingPathComponent("model.kouzi", isDirectory: true)
        try? FileManager.default.removeItem(at: directory)
        _ = try await platform.models.unpackVersion(modelID: modelID, number: number, into: directory)
        let repeats = submission.repeats ?? 5
        try await platform.jobs.log(jobID: job.id, "shuffling each column of dataset \(job.dataset.id) version \(job.dataset.version) "
            + "\(repeats) times through model \(modelID) version \(number)")
        let importances = try await onThread("kouzi-job-\(job.id)", control: control) { () throws -> ColumnImportances in
            let loaded = try SupervisedModel(path: directory.path)
            return try loaded.columnImportances(try RawData.read(data), repeats: repeats,
                                                maxRows: submission.maxRows ?? SupervisedModel.importanceRows, seed: UInt64(job.id))
        }
        if let runID = job.runID {
            let now = Clock.nowMillis()
            let points = importances.columns.filter { (try? TrackingService.validate(key: "importance/" + $0.name, field: "key")) != nil }.map {
                MetricPoint(key: "importance/" + $0.name, value: $0.mean, timestamp: now, step: 0)
            }
            try await platform.tracking.logMetrics(runID: runID, points + [MetricPoint(key: importances.metric, value: importances.baseline,
                                                                                        timestamp: now, step: 0)])
        }
        let ranked = importances.columns.sorted { $0.mean > $1.mean }.prefix(5)
        try await platform.jobs.log(jobID: job.id, "\(importances.metric) \(String(format: "%.4f", importances.baseline)) on \(importances.rows) rows; "
            + "largest drops: " + ranked.map { "\($0.name) \(String(format: "%.4f", $0.mean))" }.joined(separator: ", "))
        return JobOutcome(state: .succeeded, result: try jsonText(ModelImportances.Result(importances: importances)))
    }
}
