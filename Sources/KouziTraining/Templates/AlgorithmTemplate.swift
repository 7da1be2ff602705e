import KouziBase
import KouziNN

/// What a template's model does: `classification`, `regression`, `recommendation`, … A task library may name its
/// own (`translation`, `detection`).
public struct TaskKind: RawRepresentable, Hashable, Codable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    /// Predicts one of a fixed set of classes.
    public static let classification: TaskKind = "classification"
    /// Predicts numbers.
    public static let regression: TaskKind = "regression"
    /// Ranks items for users from an interactions table (user, item, optional rating and time columns).
    public static let recommendation: TaskKind = "recommendation"

    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// What a template needs to know about the data to build its network.
public struct DataFacts: Sendable, Equatable {
    /// The shape of one image (`[28, 28]`), for image data.
    public var imageShape: [Int]?
    /// The number of classes, for classifiers.
    public var classCount: Int?

    public init(imageShape: [Int]? = nil, classCount: Int? = nil) {
        self.imageShape = imageShape
        self.classCount = classCount
    }
}

/// What a data set offers, as the platform's inspection describes it, for checks made before a job is queued.
public struct DatasetDescription: Sendable, Equatable {
    /// The data kind: `table`, `images`, `audio`, `text`, …
    public var kind: String
    /// Column names and inferred types (`integer`, `float`, `boolean`, `categorical`, `text`, `empty`) of a table.
    public var columns: [(name: String, type: String)]

    public init(kind: String, columns: [(name: String, type: String)] = []) {
        self.kind = kind
        self.columns = columns
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.kind == b.kind && a.columns.map(\.name) == b.columns.map(\.name) && a.columns.map(\.type) == b.columns.map(\.type)
    }
}

/// A named, documented model a user trains without writing code: its hyper-parameters, the data it accepts, and how
/// it trains. Task libraries register theirs in the catalogue.
public struct AlgorithmTemplate: Sendable {
    /// Stable id used in job submissions (`cnn_image_classifier`).
    public let id: String
    public let title: String
    public let summary: String
    public let task: TaskKind
    /// Data kinds it trains on (`table`, `images`, …).
    public let dataKinds: [String]
    /// Whether it reads one text column of a table (sequence models).
    public let readsText: Bool
    public let hyperparameters: [Hyperparameter]
    /// Checks a submission's data set and fields before anything is queued.
    let checker: @Sendable (_ template: AlgorithmTemplate, _ data: DatasetDescription, _ target: String?, _ textColumn: String?) throws -> Void
    /// Trains the model a session asks for.
    let trainer: @Sendable (TrainingContext) throws -> TrainingOutcome

    /// A template; `check` refuses data and fields it cannot train on (naming the field), `train` trains, scores and
    /// saves the model through the context.
    public init(id: String, title: String, summary: String, task: TaskKind, dataKinds: [String], readsText: Bool = false,
                hyperparameters: [Hyperparameter],
                check: @escaping @Sendable (_ template: AlgorithmTemplate, _ data: DatasetDescription, _ target: String?,
                                            _ textColumn: String?) throws -> Void,
                train: @escaping @Sendable (TrainingContext) throws -> TrainingOutcome) {
        self.id = id
        self.title = title
        self.summary = summary
        self.task = task
        self.dataKinds = dataKinds
        self.readsText = readsText
        self.hyperparameters = hyperparameters
        checker = check
        trainer = train
    }

    /// Checks the data and settings of a submission before anything is queued.
    /// - Throws: ``TrainingError/invalidConfiguration(field:message:)`` naming what does not fit.
    public func check(_ data: DatasetDescription, target: String?, textColumn: String?) throws {
        guard dataKinds.contains(data.kind) else {
            throw TrainingError.invalidConfiguration(field: "dataset",
                message: "template '\(id)' trains on \(dataKinds.joined(separator: " or ")) data; this version holds \(data.kind) data")
        }
        try checker(self, data, target, textColumn)
    }
}

extension AlgorithmTemplate: Encodable {
    enum CodingKeys: String, CodingKey { case id, title, summary, task, dataKinds, readsText, hyperparameters }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(summary, forKey: .summary)
        try c.encode(task, forKey: .task)
        try c.encode(dataKinds, forKey: .dataKinds)
        try c.encode(readsText, forKey: .readsText)
        try c.encode(hyperparameters, forKey: .hyperparameters)
    }
}
