import KouziBase
import Foundation
import KouziNN

/// What a training job is asked to train, as submitted: a template or a model spec, the target, settings, seed.
public struct TrainingRequest: Codable, Sendable, Equatable {
    /// A template id from ``AlgorithmLibrary`` (or nil with ``spec``).
    public var template: String?
    /// A custom model spec (layers, optimizer, loss, metrics), as `kouzi train --spec` reads.
    public var spec: JSONValue?
    /// The column to predict (tables).
    public var target: String?
    /// The column of sentences (text templates; default: the only text column).
    public var textColumn: String?
    /// Hyper-parameter values; the template's defaults fill in the rest.
    public var hyperparameters: [String: JSONValue]?
    /// Seed of the initialisation, the splits and the shuffling.
    public var seed: UInt64?

    public init(template: String? = nil, spec: JSONValue? = nil, target: String? = nil, textColumn: String? = nil,
                hyperparameters: [String: JSONValue]? = nil, seed: UInt64? = nil) {
        self.template = template
        self.spec = spec
        self.target = target
        self.textColumn = textColumn
        self.hyperparameters = hyperparameters
        self.seed = seed
    }
}

/// A checked ``TrainingRequest``: the template or spec it names and every hyper-parameter value.
public struct TrainingPlan: Sendable {
    public var request: TrainingRequest
    /// The template, when the request names one.
    public var template: AlgorithmTemplate?
    /// The custom spec, when the request gives one.
    public var spec: ModelSpec?
    public var values: HyperparameterValues

    /// Settings of a custom spec (its optimiser and loss come from the spec itself).
    static func specHyperparameters(text: Bool) -> [Hyperparameter] {
        let training = AlgorithmLibrary.training(epochs: 10, batchSize: 32, learningRate: 1e-3)
            .filter { $0.name != "learning_rate" && $0.name != "optimizer" }
        guard text else { return training }
        return training + AlgorithmLibrary.lstmTextClassifier.hyperparameters.filter {
            $0.name == "vocabulary_size" || $0.name == "sequence_length"
        }
    }

    /// Checks the request: a known template or a valid spec (every layer type known), settings in range.
    /// - Throws: ``TrainingError/invalidConfiguration(field:message:)`` naming the field at fault.
    public init(_ request: TrainingRequest) throws {
        self.request = request
        switch (request.template, request.spec) {
        case let (id?, nil):
            let template = try AlgorithmLibrary.template(id)
            self.template = template
            values = try HyperparameterValues(request.hyperparameters ?? [:], declared: template.hyperparameters)
        case let (nil, json?):
            let spec: ModelSpec
            do { spec = try ModelSpec(json: json) } catch let error as NNError {
                throw TrainingError.invalidConfiguration(field: "spec", message: error.description)
            }
            for (index, layer) in spec.layers.enumerated() {
                do { _ = try LayerRegistry.makeLayer(layer) } catch let error as NNError {
                    throw TrainingError.invalidConfiguration(field: "spec.layers[\(index)]", message: error.description)
                }
            }
            self.spec = spec
            values = try HyperparameterValues(request.hyperparameters ?? [:],
                                              declared: Self.specHyperparameters(text: request.textColumn != nil))
        case (.some, .some):
            throw TrainingError.invalidConfiguration(field: "spec", message: "give either a template or a spec, not both")
        case (nil, nil):
            throw TrainingError.invalidConfiguration(field: "template",
                message: "name a template (\(AlgorithmLibrary.all.map(\.id).joined(separator: ", "))) or give a model spec")
        }
    }

    /// The settings this plan accepts: the template's, or a custom spec's training settings.
    public var declaredHyperparameters: [Hyperparameter] {
        template?.hyperparameters ?? Self.specHyperparameters(text: request.textColumn != nil)
    }

    /// The model's name: the template id or the spec's name.
    public var modelName: String { template?.id ?? spec?.name ?? "custom" }

    /// Whether the template trains a recommender (a factor model over user–item interactions).
    public var isRecommender: Bool { template?.task == .recommendation }

    /// Whether the model reads a text column.
    public var readsText: Bool { template?.readsText ?? (request.textColumn != nil) }

    /// The seed (0 when none was given).
    public var seed: UInt64 { request.seed ?? 0 }

    /// Checks that the data set fits the template (or, for a spec, that a table names its target).
    public func check(_ data: DatasetDescription) throws {
        if let template {
            try template.check(data, target: request.target, textColumn: request.textColumn)
            return
        }
        guard ["table", "images"].contains(data.kind) else {
            throw TrainingError.invalidConfiguration(field: "dataset", message: "models train on table or images data; this version holds \(data.kind) data")
        }
        if data.kind == "table" {
            guard let target = request.target else {
                throw TrainingError.invalidConfiguration(field: "target", message: "name the column to predict (columns: \(data.columns.map(\.name).joined(separator: ", ")))")
            }
            guard data.columns.contains(where: { $0.name == target }) else {
                throw TrainingError.invalidConfiguration(field: "target", message: "there is no column '\(target)' (columns: \(data.columns.map(\.name).joined(separator: ", ")))")
            }
        }
    }

    /// The run parameters: hyper-parameters plus what the model is and predicts.
    public var parameters: [String: String] {
        var p = values.texts
        p["model"] = modelName
        p["seed"] = String(seed)
        if let target = request.target { p["target"] = target }
        if let column = request.textColumn { p["text_column"] = column }
        return p
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
