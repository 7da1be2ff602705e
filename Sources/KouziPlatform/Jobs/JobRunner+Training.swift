import KouziBase
import Foundation
import KouziNN
import KouziTasks
import KouziTraining

extension JobRunner {
    /// Trains, scores and registers, whatever the template's task: the job's epochs go to its run's metric history as
    /// they finish, its checkpoints to its work directory, the model to the registry with its scores (named after the
    /// data they were computed on: `test_accuracy`, `holdout_rmse`…) and lineage, a full report to `evaluations`.
    func train(_ job: Job, control: JobControl) async throws -> JobOutcome {
        let jobs = platform.jobs, tracking = platform.tracking
        let submission = try job.submission(as: TrainingSubmission.self)
        let plan = try TrainingPlan(submission.request, catalogue: jobs.catalogue)
        guard let runID = job.runID else { throw PlatformError(.unavailable, code: "no_run", "job \(job.id) has no run") }
        let work = workDirectory(job.id)
        let train = try await materialize(job.dataset, projectID: job.projectID, into: work.appendingPathComponent("inputs/train"))
        var test: TrainingDataSource?
        if let ref = job.test {
            test = try await materialize(ref, projectID: job.projectID, into: work.appendingPathComponent("inputs/test"))
        }
        let checkpoints = work.appendingPathComponent("checkpoints")
        if let previous = submission.warmStartJob, job.parentID != nil {
            try continueFrom(trial: previous, into: checkpoints)
        }
        let session = TrainingSession(plan: plan, train: train, test: test, checkpointDirectory: checkpoints.path,
                                      catalogue: jobs.catalogue)
        var lastWrite = Date.distantPast
        session.onProgress = { progress in
            guard Date().timeIntervalSince(lastWrite) >= 0.5 || progress.step == progress.steps else { return }
            lastWrite = Date()
            if let text = try? jsonText(JobProgress(progress)) { control.setProgress(text) }
        }
        session.shouldStop = { control.shouldStop }
        session.onLog = { line in try? blockingWait { try await jobs.log(jobID: job.id, line) } }
        session.onResume = { history in
            try blockingWait {
                // The history up to the checkpoint is rewritten, so epochs logged after it (before the worker died) go.
                try await tracking.deleteMetrics(runID: runID, afterStep: 0)
                try await tracking.logMetrics(runID: runID, Self.points(history, firstEpoch: 1))
                try await jobs.log(jobID: job.id, "resumed from the checkpoint after epoch \(history.count)")
            }
        }
        session.onEpoch = { epoch, logs in
            try blockingWait {
                try await jobs.logEpoch(jobID: job.id, runID: runID, Self.points([logs], firstEpoch: epoch),
                                        line: "epoch \(epoch)/\(plan.values.int("epochs")): " + Self.describe(logs))
            }
        }
        try await jobs.log(jobID: job.id, "training \(plan.modelName) on dataset \(job.dataset.id) version \(job.dataset.version)"
            + (job.test.map { ", scoring dataset \($0.id) version \($0.version)" } ?? ""))
        let output = work.appendingPathComponent("model.kouzi").path
        let outcome: TrainingOutcome
        do {
            outcome = try await onThread("kouzi-job-\(job.id)", control: control) { try session.run(output: output) }
        } catch is TrainingCancelled, is StopRequest.Stopped {
            return JobOutcome(state: .cancelled)
        }
        let final: JSONValue = .object((outcome.history.last ?? [:]).filter { $0.value.isFinite }.mapValues(JSONValue.number))
        let scores = Dictionary(uniqueKeysWithValues: outcome.metrics.map { ("\(outcome.reportSplit)_\($0.key)", $0.value) })
        let epochs = Int64(outcome.history.count)
        var result: [String: JSONValue] = outcome.details.merging([
            "final": final, "reportSplit": .string(outcome.reportSplit), "epochs": .number(Double(epochs)),
            "metrics": .object(outcome.metrics.mapValues(JSONValue.number)),
            "resumedAfterEpoch": .number(Double(outcome.resumedAfterEpoch)),
            "trainingExamples": .number(Double(outcome.trainingExamples)),
        ]) { _, common in common }
        if job.parentID != nil {
            // A trial: the search ranks it, and registers only the best.
            try await tracking.logMetrics(runID: runID, scores.map {
                MetricPoint(key: $0.key, value: $0.value, timestamp: Clock.nowMillis(), step: epochs)
            })
            if let report = outcome.report { result["report"] = try toJSON(report) }
            return JobOutcome(state: .succeeded, result: try jsonText(JSONValue.object(result)))
        }
        let package = work.appendingPathComponent("model.zip").path
        try ModelPackage.pack(directory: output, to: package)
        let version = try await platform.models.registerTrained(
            projectID: job.projectID, modelName: job.modelName ?? plan.modelName, packagePath: package, userID: job.createdBy,
            update: ModelVersionUpdate(description: "Trained by job \(job.id) (\(plan.modelName))"
                                           + (outcome.details["evaluation"]?.stringValue.map { "; scored on \($0)" } ?? ""),
                                       metrics: scores, tags: ["kouzi.job": String(job.id), "kouzi.template": plan.template?.id ?? "spec"]),
            lineage: ModelLineage(datasetID: job.dataset.id, datasetVersion: job.dataset.version, runID: runID))
        result["modelId"] = .number(Double(version.modelID))
        result["modelVersion"] = .number(Double(version.number))
        if let report = outcome.report {
            let scored = job.test ?? job.dataset
            let evaluation = try await jobs.recordEvaluation(projectID: job.projectID, modelID: version.modelID, modelVersion: version.number,
                                                             dataset: scored, jobID: job.id, report: report, userID: job.createdBy)
            result["evaluationId"] = .number(Double(evaluation.id))
        }
        try await tracking.logMetrics(runID: runID, scores.map {
            MetricPoint(key: $0.key, value: $0.value, timestamp: Clock.nowMillis(), step: epochs)
        })
        try await tracking.setTags(runID: runID, ["kouzi.model": "\(version.modelID)", "kouzi.model_version": "\(version.number)"])
        try await jobs.log(jobID: job.id, "registered model \(version.modelID) version \(version.number); "
            + "\(outcome.reportSplit) scores: " + Self.describe(outcome.metrics))
        return JobOutcome(state: .succeeded, result: try jsonText(JSONValue.object(result)), modelID: version.modelID,
                          modelVersion: version.number)
    }

    /// Copies the newest checkpoint of an earlier trial, so a promoted configuration continues where it stopped.
    func continueFrom(trial: Int64, into checkpoints: URL) throws {
        let fm = FileManager.default
        guard BackupAndRestore.latestBackup(in: checkpoints.path) == nil else { return }
        let source = workDirectory(trial).appendingPathComponent("checkpoints")
        guard let latest = BackupAndRestore.latestBackup(in: source.path) else { return }
        try fm.createDirectory(at: checkpoints, withIntermediateDirectories: true)
        let target = checkpoints.appendingPathComponent(URL(fileURLWithPath: latest.path).lastPathComponent)
        try? fm.removeItem(at: target)
        try fm.copyItem(atPath: latest.path, toPath: target.path)
    }

    /// Scores a registered version on a labelled dataset version and stores the report.
    func evaluate(_ job: Job, control: JobControl) async throws -> JobOutcome {
        guard let modelID = job.modelID, let number = job.modelVersion else {
            throw PlatformError(.badRequest, code: "invalid_job", "evaluation job \(job.id) names no model version")
        }
        let work = workDirectory(job.id)
        let data = try await materialize(job.dataset, projectID: job.projectID, into: work.appendingPathComponent("inputs/data"))
        let directory = work.appendingPathComponent("model.kouzi", isDirectory: true)
        _ = try await platform.models.unpackVersion(modelID: modelID, number: number, into: directory)
        try await platform.jobs.log(jobID: job.id, "evaluating model \(modelID) version \(number) on dataset \(job.dataset.id) version \(job.dataset.version)")
        let report = try await onThread("kouzi-job-\(job.id)", control: control) { () throws -> EvaluationReport in
            let loaded = try SupervisedModel(path: directory.path)
            let (x, y) = try loaded.preprocessing.examples(try RawData.read(data), inputShape: loaded.model.inputShape)
            return try EvaluationReport.make(model: loaded.model, x: x, y: y, target: loaded.preprocessing.target)
        }
        let evaluation = try await platform.jobs.recordEvaluation(projectID: job.projectID, modelID: modelID, modelVersion: number,
                                                                  dataset: job.dataset, jobID: job.id, report: report, userID: job.createdBy)
        if let runID = job.runID {
            try await platform.tracking.logMetrics(runID: runID, report.metrics.map {
                MetricPoint(key: $0.key, value: $0.value, timestamp: Clock.nowMillis(), step: 0)
            })
        }
        try await platform.jobs.log(jobID: job.id, "scores: " + Self.describe(report.metrics))
        let result: JSONValue = .object(["evaluationId": .number(Double(evaluation.id)),
                                         "metrics": .object(report.metrics.mapValues(JSONValue.number))])
        return JobOutcome(state: .succeeded, result: try jsonText(result))
    }

    /// Links a dataset version's files into `directory` under their own names and says what they hold (the
    /// version's data kind and format: the kind's reader makes sense of the files).
    func materialize(_ ref: DatasetReference, projectID: Int64, into directory: URL) async throws -> TrainingDataSource {
        let version = try await JobService.datasetVersion(platform.store, projectID: projectID, ref, field: "dataset")
        let fm = FileManager.default
        try? fm.removeItem(at: directory)
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for file in version.files {
            do { try platform.artifacts.verify(file.sha256) } catch { throw PlatformError.wrap(error) }
            let link = directory.appendingPathComponent(file.name).path
            try fm.createSymbolicLink(atPath: link, withDestinationPath: platform.artifacts.url(of: file.sha256).path)
            paths.append(link)
        }
        return TrainingDataSource(kind: version.kind, format: version.format, files: paths)
    }

    /// Per-epoch logs as metric points, epoch numbers as steps.
    static func points(_ history: [[String: Double]], firstEpoch: Int) -> [MetricPoint] {
        let now = Clock.nowMillis()
        return history.enumerated().flatMap { offset, logs in
            logs.sorted { $0.key < $1.key }.filter { $0.value.isFinite }.map {
                MetricPoint(key: $0.key, value: $0.value, timestamp: now, step: Int64(firstEpoch + offset))
            }
        }
    }

    static func describe(_ logs: [String: Double]) -> String {
        logs.keys.sorted().map { "\($0)=\(String(format: "%.4f", logs[$0]!))" }.joined(separator: " ")
    }
}

/// The progress a running training job reports.
struct JobProgress: Codable {
    var epoch: Int
    var epochs: Int
    var step: Int
    var steps: Int
    var metrics: [String: Double]
    var etaSeconds: Double?

    init(_ p: TrainingProgress) {
        epoch = p.epoch
        epochs = p.epochs
        step = p.step
        steps = p.steps
        metrics = p.logs.filter { $0.value.isFinite }
        etaSeconds = p.etaSeconds.map { ($0 * 10).rounded() / 10 }
    }
}

extension JobService {
    /// Stores an evaluation report.
    func recordEvaluation(projectID: Int64, modelID: Int64, modelVersion: Int64, dataset: DatasetReference, jobID: Int64?,
                          report: EvaluationReport, userID: Int64) async throws -> Evaluation {
        let metrics = try jsonText(report.metrics), text = try jsonText(report)
        return try await store.write { tx in
            let row = try await tx.first("""
                INSERT INTO evaluations (project_id, model_id, model_version, dataset_id, dataset_version, job_id, task,
                    metrics, report, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *
                """, projectID, modelID, modelVersion, dataset.id, dataset.version, jobID, report.task, metrics, text,
                userID, Clock.nowMillis())!
            return try Evaluation(row: row)
        }
    }
}
