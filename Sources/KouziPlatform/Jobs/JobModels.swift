import KouziBase
import Foundation
import KouziNN
import KouziTraining

/// Where a job is in its life: `queued → running → succeeded | failed | cancelled`.
public enum JobState: String, Codable, Sendable, CaseIterable {
    case queued, running, succeeded, failed, cancelled

    /// Whether the job will not change any more.
    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// What a job does.
public enum JobKind: String, Codable, Sendable, CaseIterable {
    /// Trains a model and registers it.
    case train
    /// Scores a registered model version on a dataset version.
    case evaluate
    /// Searches hyper-parameters with child `train` jobs (trials).
    case tune
    /// Runs a model version over a dataset version and writes the predictions as a new dataset version.
    case predict
    /// Measures how much each column drives a model version's score on a labelled dataset version (permutation
    /// importance), stored with the job and shown per version.
    case explain
}

/// A dataset version named by dataset id and version number.
public struct DatasetReference: Codable, Sendable, Equatable {
    public var id: Int64
    public var version: Int64

    public init(id: Int64, version: Int64) {
        self.id = id
        self.version = version
    }
}

/// A training job as submitted: what to train (template or spec and settings), on which data, into which model.
public struct TrainingSubmission: Codable, Sendable, Equatable {
    public var template: String?
    public var spec: JSONValue?
    public var target: String?
    public var textColumn: String?
    public var hyperparameters: [String: JSONValue]?
    public var seed: UInt64?
    /// The training data.
    public var dataset: DatasetReference
    /// Data scored after training (default: the validation part, or the training data).
    public var test: DatasetReference?
    /// The registered model that receives the trained version (created when missing; default: the template id).
    public var model: String?
    /// The experiment the job's run is recorded under (default `training`).
    public var experiment: String?
    /// Attempts before a job whose worker keeps dying fails (default 3).
    public var maxAttempts: Int?
    /// For a search's trial: the earlier trial whose checkpoint it continues from (successive halving).
    public var warmStartJob: Int64?

    public init(template: String? = nil, spec: JSONValue? = nil, target: String? = nil, textColumn: String? = nil,
                hyperparameters: [String: JSONValue]? = nil, seed: UInt64? = nil, dataset: DatasetReference,
                test: DatasetReference? = nil, model: String? = nil, experiment: String? = nil, maxAttempts: Int? = nil) {
        self.template = template
        self.spec = spec
        self.target = target
        self.textColumn = textColumn
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.dataset = dataset
        self.test = test
        self.model = model
        self.experiment = experiment
        self.maxAttempts = maxAttempts
    }

    /// The part the training library reads.
    var request: TrainingRequest {
        TrainingRequest(template: template, spec: spec, target: target, textColumn: textColumn,
                        hyperparameters: hyperparameters, seed: seed)
    }
}

/// An evaluation job as submitted: a model version (number or alias) and a labelled dataset version.
public struct EvaluationSubmission: Codable, Sendable, Equatable {
    public var model: Int64
    /// A version number or alias.
    public var version: String
    public var dataset: DatasetReference

    public init(model: Int64, version: String, dataset: DatasetReference) {
        self.model = model
        self.version = version
        self.dataset = dataset
    }
}

/// An explanation job as submitted: a table model version (number or alias), the labelled dataset version it is scored
/// on, and how many times each column is shuffled.
public struct ExplanationSubmission: Codable, Sendable, Equatable {
    public var model: Int64
    /// A version number or alias.
    public var version: String
    public var dataset: DatasetReference
    /// Shuffles per column (default 5).
    public var repeats: Int?
    /// The most rows scored (an even sample of a larger table; default 5000).
    public var maxRows: Int?

    /// The range of `repeats`.
    public static let repeatRange = 2...50
    /// The range of `maxRows`.
    public static let rowRange = 10...100_000

    public init(model: Int64, version: String, dataset: DatasetReference, repeats: Int? = nil, maxRows: Int? = nil) {
        self.model = model
        self.version = version
        self.dataset = dataset
        self.repeats = repeats
        self.maxRows = maxRows
    }
}

/// A batch prediction as submitted: a model version (number or alias) and the dataset version to predict.
public struct PredictionSubmission: Codable, Sendable, Equatable {
    public var model: Int64
    public var version: String
    public var dataset: DatasetReference
    /// Rows per step (the unit of progress and of resumption; default 4096).
    public var chunkRows: Int?

    public init(model: Int64, version: String, dataset: DatasetReference, chunkRows: Int? = nil) {
        self.model = model
        self.version = version
        self.dataset = dataset
        self.chunkRows = chunkRows
    }
}

/// A job with its state, progress and result.
public struct Job: Codable, Sendable, Equatable {
    public var id: Int64
    public var projectID: Int64
    public var kind: JobKind
    /// The tuning job a trial belongs to.
    public var parentID: Int64?
    public var state: JobState
    /// The submission (template, spec, settings …).
    public var request: JSONValue
    public var dataset: DatasetReference
    public var test: DatasetReference?
    /// The registered model the job writes (training) or reads (evaluation).
    public var modelName: String?
    public var modelID: Int64?
    public var modelVersion: Int64?
    public var experiment: String
    /// The tracking run holding the job's parameters and metric history.
    public var runID: String?
    /// The latest progress: epoch, step, loss, metrics, ETA.
    public var progress: JSONValue?
    /// What a finished job produced.
    public var result: JSONValue?
    public var error: String?
    public var attempts: Int64
    public var maxAttempts: Int64
    public var worker: String?
    public var heartbeatAt: Int64?
    public var cancelRequested: Bool
    public var createdBy: Int64
    public var createdAt: Int64
    public var startedAt: Int64?
    public var finishedAt: Int64?
    public var updatedAt: Int64

    init(row: SQLRow) throws {
        id = try row.int("id")
        projectID = try row.int("project_id")
        guard let kind = JobKind(rawValue: try row.text("kind")), let state = JobState(rawValue: try row.text("state")) else {
            throw StoreError.decoding("job \(try row.int("id")) has an unknown kind or state")
        }
        self.kind = kind
        self.state = state
        parentID = try row.optionalInt("parent_id")
        request = try row.json("request")
        dataset = DatasetReference(id: try row.int("dataset_id"), version: try row.int("dataset_version"))
        if let testID = try row.optionalInt("test_dataset_id"), let testVersion = try row.optionalInt("test_version") {
            test = DatasetReference(id: testID, version: testVersion)
        }
        modelName = try row.optionalText("model_name")
        modelID = try row.optionalInt("model_id")
        modelVersion = try row.optionalInt("model_version")
        experiment = try row.text("experiment")
        runID = try row.optionalText("run_id")
        progress = try row.optionalJSON("progress")
        result = try row.optionalJSON("result")
        error = try row.optionalText("error")
        attempts = try row.int("attempts")
        maxAttempts = try row.int("max_attempts")
        worker = try row.optionalText("worker")
        heartbeatAt = try row.optionalInt("heartbeat_at")
        cancelRequested = try row.bool("cancel_requested")
        createdBy = try row.int("created_by")
        createdAt = try row.int("created_at")
        startedAt = try row.optionalInt("started_at")
        finishedAt = try row.optionalInt("finished_at")
        updatedAt = try row.int("updated_at")
    }
}

extension Job {
    /// The submission the job was queued with, as its kind's type.
    func submission<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(request))
    }
}

/// One line of a job's log.
public struct JobLogLine: Codable, Sendable, Equatable {
    public var seq: Int64
    public var at: Int64
    public var line: String
}

/// A stored evaluation report of a model version on a dataset version.
public struct Evaluation: Codable, Sendable, Equatable {
    public var id: Int64
    public var projectID: Int64
    public var modelID: Int64
    public var modelVersion: Int64
    public var dataset: DatasetReference
    public var jobID: Int64?
    public var task: String
    public var metrics: [String: Double]
    public var report: EvaluationReport
    public var createdAt: Int64

    init(row: SQLRow) throws {
        id = try row.int("id")
        projectID = try row.int("project_id")
        modelID = try row.int("model_id")
        modelVersion = try row.int("model_version")
        dataset = DatasetReference(id: try row.int("dataset_id"), version: try row.int("dataset_version"))
        jobID = try row.optionalInt("job_id")
        task = try row.text("task")
        metrics = try row.json("metrics")
        report = try row.json("report")
        createdAt = try row.int("created_at")
    }
}
