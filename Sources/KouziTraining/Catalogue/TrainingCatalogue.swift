import KouziNN

/// How custom model specs train (the task that trains networks from specs on tables and images registers it).
public struct SpecTraining: Sendable {
    /// The settings a spec submission accepts (`epochs`, `batch_size`, …); `text` when it reads a text column.
    public let hyperparameters: @Sendable (_ text: Bool) -> [Hyperparameter]
    /// Checks the data set of a spec submission before anything is queued.
    public let check: @Sendable (_ data: DatasetDescription, _ request: TrainingRequest) throws -> Void
    /// Trains a spec.
    public let train: @Sendable (_ context: TrainingContext, _ spec: ModelSpec) throws -> TrainingOutcome

    public init(hyperparameters: @escaping @Sendable (_ text: Bool) -> [Hyperparameter],
                check: @escaping @Sendable (_ data: DatasetDescription, _ request: TrainingRequest) throws -> Void,
                train: @escaping @Sendable (_ context: TrainingContext, _ spec: ModelSpec) throws -> TrainingOutcome) {
        self.hyperparameters = hyperparameters
        self.check = check
        self.train = train
    }
}

/// Everything the training service can train: the data kinds it reads, the templates it offers and how specs
/// train. The task catalogue assembles it from the task libraries; nothing here names a task.
public struct TrainingCatalogue: Sendable {
    /// The templates, in the order a catalogue lists them.
    public let templates: [AlgorithmTemplate]
    /// The data kinds.
    public let dataKinds: [DataKind]
    /// How custom specs train, when a task offers it.
    public let specTraining: SpecTraining?

    public init(templates: [AlgorithmTemplate], dataKinds: [DataKind], specTraining: SpecTraining?) {
        self.templates = templates
        self.dataKinds = dataKinds
        self.specTraining = specTraining
    }

    /// The template with `id`.
    /// - Throws: ``TrainingError/invalidConfiguration(field:message:)`` listing the known ids.
    public func template(_ id: String) throws -> AlgorithmTemplate {
        guard let found = templates.first(where: { $0.id == id }) else {
            throw TrainingError.invalidConfiguration(field: "template",
                message: "unknown template '\(id)' (known: \(templates.map(\.id).joined(separator: ", ")))")
        }
        return found
    }

    /// Reads `source` with its data kind's reader.
    /// - Throws: ``TrainingError/invalidData(_:)`` for a kind no task reads, or the reader's own errors.
    public func read(_ source: TrainingDataSource) throws -> any TrainingExamples {
        guard let kind = dataKinds.first(where: { $0.id == source.kind }) else {
            throw TrainingError.invalidData("\(source.name): \(source.kind) data cannot be used for training "
                + "(known kinds: \(dataKinds.map(\.id).joined(separator: ", ")))")
        }
        guard kind.formats.contains(source.format) else {
            throw TrainingError.invalidData("\(source.name): \(source.kind) data in the \(source.format) format cannot be used for training "
                + "yet (formats: \(kind.formats.joined(separator: ", ")))")
        }
        return try kind.read(source)
    }
}
