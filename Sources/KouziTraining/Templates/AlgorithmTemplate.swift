import KouziBase
import KouziNN

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
    /// `table`, `images`, `audio` or `text`.
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

/// A named, documented model a user trains without writing code: its hyper-parameters and the data it accepts.
public struct AlgorithmTemplate: Sendable {
    /// What the model predicts.
    public enum Task: String, Codable, Sendable {
        case classification, regression
        /// Ranks items for users from an interactions table (user, item, optional rating and time columns).
        case recommendation
    }

    /// Stable id used in job submissions (`cnn_image_classifier`).
    public let id: String
    public let title: String
    public let summary: String
    public let task: Task
    /// Data set kinds it trains on: `table` (CSV with a target column) or `images` (IDX images with labels).
    public let dataKinds: [String]
    /// Whether it reads one text column of a table (sequence models).
    public let readsText: Bool
    public let hyperparameters: [Hyperparameter]
    let network: @Sendable (DataFacts, HyperparameterValues) -> [[String: JSONValue]]
    let loss: String

    /// Checks the data and settings of a submission before anything is queued.
    /// - Throws: ``TrainingError/invalidConfiguration(field:message:)`` naming what does not fit.
    public func check(_ data: DatasetDescription, target: String?, textColumn: String?) throws {
        if task == .recommendation {
            try RecommenderColumns.check(data, template: self, target: target, textColumn: textColumn)
            return
        }
        guard dataKinds.contains(data.kind) else {
            throw TrainingError.invalidConfiguration(field: "dataset",
                message: "template '\(id)' trains on \(dataKinds.joined(separator: " or ")) data; this version holds \(data.kind) data")
        }
        guard data.kind == "table" else {
            if target != nil { throw TrainingError.invalidConfiguration(field: "target", message: "applies to table data only") }
            return
        }
        let names = data.columns.map(\.name)
        guard let target else {
            throw TrainingError.invalidConfiguration(field: "target", message: "name the column to predict (columns: \(names.joined(separator: ", ")))")
        }
        guard let targetType = data.columns.first(where: { $0.name == target })?.type else {
            throw TrainingError.invalidConfiguration(field: "target", message: "there is no column '\(target)' (columns: \(names.joined(separator: ", ")))")
        }
        if task == .regression && targetType != "float" && targetType != "integer" {
            throw TrainingError.invalidConfiguration(field: "target",
                message: "template '\(id)' predicts numbers, but column '\(target)' holds \(targetType) values")
        }
        let features = data.columns.filter { $0.name != target }
        guard !features.isEmpty else {
            throw TrainingError.invalidConfiguration(field: "dataset", message: "there are no feature columns besides the target '\(target)'")
        }
        let textColumns = features.filter { $0.type == "text" || $0.type == "categorical" }.map(\.name)
        if readsText {
            if let textColumn {
                guard features.contains(where: { $0.name == textColumn }) else {
                    throw TrainingError.invalidConfiguration(field: "textColumn", message: "there is no column '\(textColumn)' besides the target")
                }
            } else if textColumns.count != 1 {
                throw TrainingError.invalidConfiguration(field: "textColumn", message: textColumns.isEmpty
                    ? "template '\(id)' reads sentences, but the table has no text column besides the target"
                    : "the table has several text columns (\(textColumns.joined(separator: ", "))); name one with textColumn")
            }
        } else if textColumn != nil {
            throw TrainingError.invalidConfiguration(field: "textColumn", message: "template '\(id)' does not read text")
        }
    }

    /// The model spec for the data and settings.
    public func spec(for facts: DataFacts, _ values: HyperparameterValues) throws -> ModelSpec {
        guard task != .recommendation else {
            throw TrainingError.invalidConfiguration(field: "template", message: "template '\(id)' trains a recommender, not a network")
        }
        if task == .classification, (facts.classCount ?? 0) < 2 {
            throw TrainingError.invalidData("a classifier needs at least two classes in the target, found \(facts.classCount ?? 0)")
        }
        var optimizerOptions = ["learning_rate": values.double("learning_rate")]
        if values.values["weight_decay"] != nil { optimizerOptions["weight_decay"] = values.double("weight_decay") }
        var inputShape: [Int]? = nil
        if let shape = facts.imageShape { inputShape = shape.count == 2 ? shape + [1] : shape }
        return ModelSpec(name: id, inputShape: dataKinds == ["images"] ? inputShape : nil, layers: network(facts, values),
                         optimizer: .init(name: values.string("optimizer"), options: optimizerOptions),
                         loss: .init(name: loss), metrics: task == .classification ? ["accuracy"] : ["mae"])
    }
}
