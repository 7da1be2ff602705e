/// One logged value of a metric: MLflow's `(key, value, timestamp, step)`.
public struct MetricPoint: Codable, Sendable, Equatable {
    /// The metric's name, e.g. `val_loss`.
    public var key: String
    /// The value (finite).
    public var value: Double
    /// When it was measured, in milliseconds since 1970.
    public var timestamp: Int64
    /// The training step or epoch it belongs to.
    public var step: Int64

    /// Creates a point.
    public init(key: String, value: Double, timestamp: Int64, step: Int64) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
    }

    init(row: SQLRow) throws {
        key = try row.text("key")
        value = try row.double("value")
        timestamp = try row.int("timestamp")
        step = try row.int("step")
    }
}

/// Which experiments or runs a listing includes, by lifecycle stage (MLflow's `ViewType`).
public enum LifecycleFilter: String, Sendable, Codable {
    case active, deleted, all

    /// The SQL condition on a `lifecycle_stage` column.
    func condition(_ column: String) -> String {
        switch self {
        case .active: return "\(column) = 'active'"
        case .deleted: return "\(column) = 'deleted'"
        case .all: return "1 = 1"
        }
    }
}

/// A named group of runs in a project.
public struct Experiment: Codable, Sendable, Equatable {
    public var id: Int64
    public var projectID: Int64
    public var name: String
    /// `active` or `deleted`.
    public var lifecycleStage: String
    /// Where its runs' artifacts live, as MLflow clients resolve it (`mlflow-artifacts:/ID`).
    public var artifactLocation: String
    public var tags: [String: String]
    public var createdAt: Int64
    public var updatedAt: Int64

    init(row: SQLRow) throws {
        id = try row.int("id")
        projectID = try row.int("project_id")
        name = try row.text("name")
        lifecycleStage = try row.text("lifecycle_stage")
        artifactLocation = try row.text("artifact_location")
        tags = try row.json("tags")
        createdAt = try row.int("created_at")
        updatedAt = try row.int("updated_at")
    }
}

/// One execution of training code: its parameters, tags, metrics (the latest point of each key) and status.
public struct Run: Codable, Sendable, Equatable {
    /// 32 lower-case hex characters, as MLflow's run ids.
    public var id: String
    public var experimentID: Int64
    public var projectID: Int64
    public var name: String
    public var userID: Int64
    /// RUNNING, SCHEDULED, FINISHED, FAILED or KILLED.
    public var status: String
    public var startTime: Int64
    public var endTime: Int64?
    /// `active` or `deleted`.
    public var lifecycleStage: String
    /// Where MLflow clients read and write the run's artifacts.
    public var artifactURI: String
    public var params: [String: String]
    public var tags: [String: String]
    /// The latest point of every metric key (highest step, then newest timestamp).
    public var latestMetrics: [MetricPoint]

    init(row: SQLRow, artifactLocation: String, params: [String: String], tags: [String: String],
         latestMetrics: [MetricPoint]) throws {
        id = try row.text("id")
        experimentID = try row.int("experiment_id")
        projectID = try row.int("project_id")
        name = try row.text("name")
        userID = try row.int("user_id")
        status = try row.text("status")
        startTime = try row.int("start_time")
        endTime = try row.optionalInt("end_time")
        lifecycleStage = try row.text("lifecycle_stage")
        artifactURI = "\(artifactLocation)/\(id)/artifacts"
        self.params = params
        self.tags = tags
        self.latestMetrics = latestMetrics.sorted { $0.key < $1.key }
    }
}

/// A file logged by a run, stored in the artifact store.
public struct RunArtifact: Codable, Sendable, Equatable {
    /// The path inside the run's artifact tree, e.g. `plots/loss.png`.
    public var path: String
    public var sha256: String
    public var size: Int64
    public var createdAt: Int64

    init(row: SQLRow) throws {
        path = try row.text("path")
        sha256 = try row.text("sha256")
        size = try row.int("size")
        createdAt = try row.int("created_at")
    }
}

/// Run statuses, as MLflow names them.
public enum RunStatus {
    /// Every status a run can have.
    public static let all: Set<String> = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]
    /// The statuses that end a run.
    public static let terminal: Set<String> = ["FINISHED", "FAILED", "KILLED"]
}
