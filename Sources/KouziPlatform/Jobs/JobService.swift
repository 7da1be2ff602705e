import Foundation
import KouziNN
import KouziTraining

/// Training and evaluation jobs: submission (checked before anything is queued), listing, cancellation, logs,
/// metric history and evaluation reports. Workers (``JobRunner``) take jobs from the same tables.
public final class JobService: Sendable {
    let store: any Store
    let accounts: AccountService
    let tracking: TrackingService
    /// What the training service can train (the task catalogue's part for training).
    public let catalogue: TrainingCatalogue
    /// Bytes a job may be expected to use (``JobMemory``).
    let jobMemoryLimit: Int64
    /// The jobs this process runs now, so a cancel reaches them at once (others see it at their next heartbeat).
    let running = RunningJobs()

    init(store: any Store, accounts: AccountService, tracking: TrackingService, catalogue: TrainingCatalogue,
         jobMemoryLimit: Int64 = JobMemory.defaultLimit) {
        self.jobMemoryLimit = jobMemoryLimit
        self.store = store
        self.accounts = accounts
        self.tracking = tracking
        self.catalogue = catalogue
    }

    /// The templates users can train.
    public var templates: [AlgorithmTemplate] { catalogue.templates }

    // MARK: Submission

    /// Queues a training job after checking the template or spec, the settings and that the data fits (editors).
    public func submitTraining(_ principal: Principal, projectID: Int64, _ submission: TrainingSubmission) async throws -> Job {
        let checked = try await checkTraining(principal, projectID: projectID, submission)
        let request = try jsonText(submission)
        return try await store.write { tx in
            try await Self.insert(tx, projectID: projectID, kind: .train, parentID: nil, request: request,
                                  dataset: submission.dataset, test: submission.test, modelName: checked.modelName, modelID: nil,
                                  modelVersion: nil, experiment: checked.experiment, maxAttempts: checked.maxAttempts,
                                  userID: principal.userID)
        }
    }

    /// What a checked training submission resolves to.
    struct CheckedTraining {
        var modelName: String
        var experiment: String
        var maxAttempts: Int
    }

    /// Checks a training submission without queuing it.
    func checkTraining(_ principal: Principal, projectID: Int64, _ submission: TrainingSubmission) async throws -> CheckedTraining {
        try await accounts.require(principal, .editor, in: projectID)
        let plan: TrainingPlan
        do { plan = try TrainingPlan(submission.request, catalogue: catalogue) } catch { throw Self.map(error) }
        let train = try await Self.datasetVersion(store, projectID: projectID, submission.dataset, field: "dataset")
        do { try plan.check(Self.describe(train)) } catch { throw Self.map(error) }
        var versions = [train]
        if let test = submission.test {
            let version = try await Self.datasetVersion(store, projectID: projectID, test, field: "test")
            versions.append(version)
            guard version.kind == train.kind else {
                throw PlatformError.invalid("test", "the test data holds \(version.kind) data, the training data \(train.kind) data")
            }
            if let target = submission.target, !Self.describe(version).columns.contains(where: { $0.name == target }) {
                throw PlatformError.invalid("test", "the test data has no column '\(target)'")
            }
        }
        try JobMemory.check(versions, limit: jobMemoryLimit)
        if submission.warmStartJob != nil {
            throw PlatformError.invalid("warmStartJob", "is set by searches for their trials only")
        }
        let modelName = submission.model ?? plan.modelName
        try validateName(modelName, field: "model")
        let experiment = submission.experiment ?? "training"
        try validateName(experiment, field: "experiment")
        let attempts = submission.maxAttempts ?? 3
        guard (1...10).contains(attempts) else { throw PlatformError.invalid("maxAttempts", "must be in 1…10, got \(attempts)") }
        return CheckedTraining(modelName: modelName, experiment: experiment, maxAttempts: attempts)
    }

    /// Queues the evaluation of a model version on a labelled dataset version (editors).
    public func submitEvaluation(_ principal: Principal, projectID: Int64, _ submission: EvaluationSubmission) async throws -> Job {
        try await submitModelJob(principal, projectID: projectID, kind: .evaluate, model: submission.model,
                                 version: submission.version, dataset: submission.dataset, request: try jsonText(submission))
    }

    /// Queues the column importances of a table model version on a labelled dataset version (editors).
    public func submitExplanation(_ principal: Principal, projectID: Int64, _ submission: ExplanationSubmission) async throws -> Job {
        if let repeats = submission.repeats, !ExplanationSubmission.repeatRange.contains(repeats) {
            throw PlatformError.invalid("repeats", "must be in \(ExplanationSubmission.repeatRange.lowerBound)…\(ExplanationSubmission.repeatRange.upperBound), got \(repeats)")
        }
        if let rows = submission.maxRows, !ExplanationSubmission.rowRange.contains(rows) {
            throw PlatformError.invalid("maxRows", "must be in \(ExplanationSubmission.rowRange.lowerBound)…\(ExplanationSubmission.rowRange.upperBound), got \(rows)")
        }
        return try await submitModelJob(principal, projectID: projectID, kind: .explain, model: submission.model,
                                        version: submission.version, dataset: submission.dataset, request: try jsonText(submission))
    }

    /// Queues a batch prediction: a model version over a dataset version, written as a new version (editors).
    public func submitPrediction(_ principal: Principal, projectID: Int64, _ submission: PredictionSubmission) async throws -> Job {
        if let rows = submission.chunkRows, !(1...1_000_000).contains(rows) {
            throw PlatformError.invalid("chunkRows", "must be in 1…1000000, got \(rows)")
        }
        return try await submitModelJob(principal, projectID: projectID, kind: .predict, model: submission.model,
                                        version: submission.version, dataset: submission.dataset, request: try jsonText(submission))
    }

    /// Queues a job that runs a registered version (with a Kouzi package) over a table or images dataset version.
    private func submitModelJob(_ principal: Principal, projectID: Int64, kind: JobKind, model modelID: Int64, version: String,
                                dataset: DatasetReference, request: String) async throws -> Job {
        try await accounts.require(principal, .editor, in: projectID)
        let data = try await Self.datasetVersion(store, projectID: projectID, dataset, field: "dataset")
        guard ["table", "images"].contains(data.kind) else {
            throw PlatformError.invalid("dataset", "models run on table or images data; this version holds \(data.kind) data")
        }
        // A prediction job reads its data in chunks; an evaluation or explanation holds all of it.
        if kind != .predict { try JobMemory.check([data], limit: jobMemoryLimit) }
        return try await store.write { tx in
            let model = try await ModelRegistry.model(tx, projectID: projectID, modelID: modelID)
            let number = try ModelRegistry.resolve(version, in: model)
            guard try await tx.first("SELECT number FROM model_versions WHERE model_id = ? AND number = ? AND package_hash <> ''",
                                     model.id, number) != nil else {
                throw PlatformError.invalid("version", "model \(model.id) has no version \(version) with a Kouzi package")
            }
            return try await Self.insert(tx, projectID: projectID, kind: kind, parentID: nil, request: request,
                                         dataset: dataset, test: nil, modelName: model.name, modelID: model.id,
                                         modelVersion: number,
                                         experiment: kind == .predict ? "prediction" : kind == .explain ? "explanation" : "evaluation",
                                         maxAttempts: 3, userID: principal.userID)
        }
    }

    static func insert(_ tx: any SQLExecutor, projectID: Int64, kind: JobKind, parentID: Int64?, request: String,
                       dataset: DatasetReference, test: DatasetReference?, modelName: String?, modelID: Int64?,
                       modelVersion: Int64?, experiment: String, maxAttempts: Int, userID: Int64) async throws -> Job {
        let now = Clock.nowMillis()
        let row = try await tx.first("""
            INSERT INTO jobs (project_id, kind, parent_id, state, request, dataset_id, dataset_version, test_dataset_id,
                test_version, model_name, model_id, model_version, experiment, max_attempts, created_by, created_at, updated_at)
            VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *
            """, projectID, kind.rawValue, parentID, request, dataset.id, dataset.version, test?.id, test?.version,
            modelName, modelID, modelVersion, experiment, maxAttempts, userID, now, now)!
        return try Job(row: row)
    }

    // MARK: Reading

    /// Jobs of a project, newest first, optionally of one state or kind, or the trials of a tuning job.
    public func list(_ principal: Principal, projectID: Int64, state: JobState? = nil, kind: JobKind? = nil,
                     parentID: Int64? = nil, limit: Int = 100, offset: Int = 0) async throws -> [Job] {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in
            try await tx.query("""
                SELECT * FROM jobs WHERE project_id = ? AND (? = '' OR state = ?) AND (? = '' OR kind = ?)
                    AND (? = 0 OR parent_id = ?)
                ORDER BY id DESC LIMIT ? OFFSET ?
                """, [.int(projectID), .text(state?.rawValue ?? ""), .text(state?.rawValue ?? ""), .text(kind?.rawValue ?? ""),
                      .text(kind?.rawValue ?? ""), .int(parentID ?? 0), .int(parentID ?? 0), .int(Int64(limit)), .int(Int64(offset))])
                .map(Job.init(row:))
        }
    }

    /// One job.
    public func get(_ principal: Principal, projectID: Int64, jobID: Int64) async throws -> Job {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in try await Self.job(tx, projectID: projectID, jobID: jobID) }
    }

    static func job(_ tx: any SQLExecutor, projectID: Int64, jobID: Int64) async throws -> Job {
        guard let row = try await tx.first("SELECT * FROM jobs WHERE id = ? AND project_id = ?", jobID, projectID) else {
            throw PlatformError.notFound("job", jobID)
        }
        return try Job(row: row)
    }

    /// Log lines after `after` (a sequence number), oldest first.
    public func logs(_ principal: Principal, projectID: Int64, jobID: Int64, after: Int64 = 0, limit: Int = 1000) async throws -> [JobLogLine] {
        _ = try await get(principal, projectID: projectID, jobID: jobID)
        return try await store.read { tx in
            try await tx.query("SELECT seq, at, line FROM job_logs WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                               jobID, after, limit).map { JobLogLine(seq: try $0.int("seq"), at: try $0.int("at"), line: try $0.text("line")) }
        }
    }

    /// The per-epoch metric history of a job's run: metric name → points by step (epoch).
    public func history(_ principal: Principal, projectID: Int64, jobID: Int64) async throws -> [String: [MetricPoint]] {
        let job = try await get(principal, projectID: projectID, jobID: jobID)
        guard let runID = job.runID else { return [:] }
        return try await store.read { tx in
            var history: [String: [MetricPoint]] = [:]
            for row in try await tx.query("SELECT key, value, timestamp, step FROM run_metrics WHERE run_id = ? ORDER BY key, step, timestamp", runID) {
                let key = try row.text("key")
                history[key, default: []].append(MetricPoint(key: key, value: try row.double("value"),
                                                             timestamp: try row.int("timestamp"), step: try row.int("step")))
            }
            return history
        }
    }

    // MARK: Cancellation

    /// Cancels a queued job at once, or asks a running one to stop at its next step (editors).
    /// - Throws: 409 when the job has already finished.
    public func cancel(_ principal: Principal, projectID: Int64, jobID: Int64) async throws -> Job {
        try await accounts.require(principal, .editor, in: projectID)
        let cancelled = try await store.write { tx in
            let job = try await Self.job(tx, projectID: projectID, jobID: jobID)
            guard !job.state.isFinished else {
                throw PlatformError(.conflict, code: "job_finished", "job \(jobID) has already \(job.state.rawValue)")
            }
            let now = Clock.nowMillis()
            // Queued trials of a tuning job are cancelled with it.
            try await tx.execute("""
                UPDATE jobs SET state = 'cancelled', finished_at = ?, updated_at = ?
                WHERE (id = ? OR parent_id = ?) AND state = 'queued'
                """, now, now, jobID, jobID)
            try await tx.execute("UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE (id = ? OR parent_id = ?) AND state = 'running'",
                                 now, jobID, jobID)
            return try await Self.job(tx, projectID: projectID, jobID: jobID)
        }
        running.stop(jobID, .cancelled)
        return cancelled
    }

    // MARK: Evaluations

    /// Evaluation reports of a project, newest first, optionally of one model (all versions, so they compare).
    public func evaluations(_ principal: Principal, projectID: Int64, modelID: Int64? = nil, limit: Int = 100,
                            offset: Int = 0) async throws -> [Evaluation] {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in
            try await tx.query("""
                SELECT * FROM evaluations WHERE project_id = ? AND (? = 0 OR model_id = ?)
                ORDER BY model_version DESC, id DESC LIMIT ? OFFSET ?
                """, projectID, modelID ?? 0, modelID ?? 0, limit, offset).map(Evaluation.init(row:))
        }
    }

    /// One evaluation report.
    public func evaluation(_ principal: Principal, projectID: Int64, evaluationID: Int64) async throws -> Evaluation {
        try await accounts.require(principal, .viewer, in: projectID)
        let row = try await store.read { tx in
            try await tx.first("SELECT * FROM evaluations WHERE id = ? AND project_id = ?", evaluationID, projectID)
        }
        guard let row else { throw PlatformError.notFound("evaluation", evaluationID) }
        return try Evaluation(row: row)
    }

    // MARK: Helpers

    /// A dataset version of the project, or a 400 naming the field that refers to it.
    static func datasetVersion(_ store: any Store, projectID: Int64, _ ref: DatasetReference, field: String) async throws -> DatasetVersion {
        let row = try await store.read { tx in
            try await tx.first("""
                SELECT v.* FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id
                WHERE d.id = ? AND v.number = ? AND d.project_id = ?
                """, ref.id, ref.version, projectID)
        }
        guard let row else {
            throw PlatformError.invalid(field, "dataset \(ref.id) version \(ref.version) does not exist in project \(projectID)")
        }
        return try DatasetVersion(row: row)
    }

    /// What templates need to know of a dataset version: its kind and, for tables, its columns and their types.
    static func describe(_ version: DatasetVersion) -> DatasetDescription {
        let columns = version.summary.objectValue?["columns"]?.arrayValue?.compactMap { column -> (name: String, type: String)? in
            guard let name = column.objectValue?["name"]?.stringValue, let type = column.objectValue?["type"]?.stringValue else { return nil }
            return (name, type)
        } ?? []
        return DatasetDescription(kind: version.kind, columns: columns)
    }

    /// Training-library errors as platform errors: settings are 400s naming the field, data problems 422s.
    static func map(_ error: any Error) -> any Error {
        switch error {
        case let TrainingError.invalidConfiguration(field, message):
            let code = field.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).first.map(String.init) ?? "request"
            return PlatformError(.badRequest, code: "invalid_\(code)", "\(field): \(message)")
        case let error as TrainingError:
            return PlatformError(.unprocessable, code: "data_does_not_fit", error.description)
        default:
            return error
        }
    }
}
