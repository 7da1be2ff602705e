import KouziBase
import KouziNN

/// A named model in a project, whose versions are registered packages.
public struct RegisteredModel: Sendable, Codable, Equatable {
    public var id: Int64
    public var projectID: Int64
    public var name: String
    public var description: String
    public var createdBy: Int64
    public var createdAt: Int64
    /// The newest version's number (0 when none).
    public var latestVersion: Int64
    /// Alias name → version number.
    public var aliases: [String: Int64]

    init(row: SQLRow, aliases: [String: Int64]) throws {
        id = try row.int("id")
        projectID = try row.int("project_id")
        name = try row.text("name")
        description = try row.text("description")
        createdBy = try row.int("created_by")
        createdAt = try row.int("created_at")
        latestVersion = try row.optionalInt("latest_version") ?? 0
        self.aliases = aliases
    }
}

/// Where a model version came from.
public struct ModelLineage: Sendable, Codable, Equatable {
    /// The dataset it was trained on.
    public var datasetID: Int64?
    /// The dataset version it was trained on.
    public var datasetVersion: Int64?
    /// The training run that produced it.
    public var runID: String?

    /// Creates lineage.
    public init(datasetID: Int64? = nil, datasetVersion: Int64? = nil, runID: String? = nil) {
        self.datasetID = datasetID
        self.datasetVersion = datasetVersion
        self.runID = runID
    }
}

/// The editable fields of a model version.
public struct ModelVersionUpdate: Sendable, Codable, Equatable {
    public var description: String?
    public var metrics: [String: Double]?
    public var tags: [String: String]?

    /// Creates an update.
    public init(description: String? = nil, metrics: [String: Double]? = nil, tags: [String: String]? = nil) {
        self.description = description
        self.metrics = metrics
        self.tags = tags
    }
}

/// One registered package of a model.
public struct ModelVersion: Sendable, Codable, Equatable {
    public var modelID: Int64
    public var number: Int64
    /// sha256 of the package (a ZIP of the `.kouzi` directory); empty for a version registered through MLflow,
    /// which names its ``source`` instead.
    public var packageSHA256: String
    /// Where an MLflow client said the model lives (e.g. `runs:/RUN/model`); nil for Kouzi packages.
    public var source: String?
    public var size: Int64
    /// Inputs, outputs and class labels read from the package's `model.json`.
    public var signature: JSONValue
    public var metrics: [String: Double]
    public var tags: [String: String]
    public var description: String
    public var lineage: ModelLineage
    public var createdBy: Int64
    public var createdAt: Int64
    /// The aliases pointing at this version.
    public var aliases: [String]

    init(row: SQLRow, aliases: [String]) throws {
        modelID = try row.int("model_id")
        number = try row.int("number")
        packageSHA256 = try row.text("package_hash")
        source = try row.optionalText("source")
        size = try row.int("size")
        signature = try row.json("signature")
        metrics = try row.json("metrics")
        tags = try row.json("tags")
        description = try row.text("description")
        lineage = ModelLineage(datasetID: try row.optionalInt("dataset_id"), datasetVersion: try row.optionalInt("dataset_version"),
                               runID: try row.optionalText("run_id"))
        createdBy = try row.int("created_by")
        createdAt = try row.int("created_at")
        self.aliases = aliases.sorted()
    }
}
