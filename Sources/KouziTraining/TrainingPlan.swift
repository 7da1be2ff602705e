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
    /// The settings this plan accepts: the template's, or a custom spec's training settings.
    public let declaredHyperparameters: [Hyperparameter]
    /// How a spec trains (from the catalogue the plan was checked against).
    let specTraining: SpecTraining?

    /// Checks the request against `catalogue`: a known template or a valid spec (every layer type known), settings
    /// in range.
    /// - Throws: ``TrainingError/invalidConfiguration(field:message:)`` naming the field at fault.
    public init(_ request: TrainingRequest, catalogue: TrainingCatalogue) throws {
        self.request = request
        specTraining = catalogue.specTraining
        switch (request.template, request.spec) {
        case let (id?, nil):
            let template = try catalogue.template(id)
            self.template = template
            declaredHyperparameters = template.hyperparameters
        case let (nil, json?):
            guard let specTraining = catalogue.specTraining else {
                throw TrainingError.invalidConfiguration(field: "spec", message: "this program trains templates only")
            }
            let spec: ModelSpec
            do { spec = try ModelSpec(json: json) } catch let error as NNError {
                throw TrainingError.invalidConfiguration(field: "spec", message: error.description)
            }
            for (index, layer) in spec.layers.enumerated() {
                do { _ = try LayerRegistry.makeLayer(layer) } catch let error as NNError {
                    throw TrainingError.invalidConfiguration(field: "spec.layers[\(index)]", message: error.description)
                }
            }
            if spec.graph != nil {
                do { _ = try spec.makeModel() } catch let error as NNError {
                    throw TrainingError.invalidConfiguration(field: "spec", message: error.description)
                }
            }
            self.spec = spec
            declaredHyperparameters = specTraining.hyperparameters(request.textColumn != nil)
        case (.some, .some):
            throw TrainingError.invalidConfiguration(field: "spec", message: "give either a template or a spec, not both")
        case (nil, nil):
            throw TrainingError.invalidConfiguration(field: "template",
                message: "name a template (\(catalogue.templates.map(\.id).joined(separator: ", "))) or give a model spec")
        }
        values = try HyperparameterValues(request.hyperparameters ?? [:], declared: declaredHyperparameters)
    }

    /// The model's name: the template id or the spec's name.
    public var modelName: String { template?.id ?? spec?.name ?? "custom" }

    /// Whether the model reads a text column.
    public var readsText: Bool { template?.readsText ?? (request.textColumn != nil) }

    /// The seed (0 when none was given).
    public var seed: UInt64 { request.seed ?? 0 }

    /// Checks that the data set fits the template (or the spec's training).
    public func check(_ data: DatasetDescription) throws {
        if let template {
            try template.check(data, target: request.target, textColumn: request.textColumn)
        } else {
            try specTraining!.check(data, request)
        }
    }

    /// Trains through the template, or the catalogue's spec training.
    func train(_ context: TrainingContext) throws -> TrainingOutcome {
        if let template { return try template.trainer(context) }
        return try specTraining!.train(context, spec!)
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
