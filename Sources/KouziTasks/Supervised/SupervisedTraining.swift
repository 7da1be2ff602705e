import Foundation
import KouziData
import KouziInference
import KouziNN
import KouziTensor
import KouziTraining

/// Training for the supervised tasks — classification and regression of tables, images and a table's sentences:
/// the preprocessing is fitted on the training part, the network trains on a shuffled, prefetched stream of
/// batches through the session's checkpointed `fit`, and the model is scored on the test data (or the held-out
/// part) and saved with its preprocessing and codec.
enum SupervisedTraining {
    /// The data kinds the supervised tasks read.
    static let dataKinds = [
        DataKind(id: "table", summary: "A CSV table with a header row: feature columns and a target column.", formats: ["csv"],
                 read: { try RawData.read($0) }),
        DataKind(id: "images", summary: "Labelled images: an IDX images file, its labels and optionally classes.txt.", formats: ["idx"],
                 read: { try RawData.read($0) }),
    ]

    /// How custom model specs train: on a table (with a target column, or a text column) or on images.
    static let specTraining = SpecTraining(
        hyperparameters: { text in
            let training = SupervisedTemplates.training(epochs: 10, batchSize: 32, learningRate: 1e-3)
                .filter { $0.name != "learning_rate" && $0.name != "optimizer" }
            guard text else { return training }
            return training + SupervisedTemplates.lstmTextClassifier.template.hyperparameters.filter {
                $0.name == "vocabulary_size" || $0.name == "sequence_length"
            }
        },
        check: { data, request in
            guard ["table", "images"].contains(data.kind) else {
                throw TrainingError.invalidConfiguration(field: "dataset", message: "models train on table or images data; this version holds \(data.kind) data")
            }
            guard data.kind == "table" else { return }
            guard let target = request.target else {
                throw TrainingError.invalidConfiguration(field: "target", message: "name the column to predict (columns: \(data.columns.map(\.name).joined(separator: ", ")))")
            }
            guard data.columns.contains(where: { $0.name == target }) else {
                throw TrainingError.invalidConfiguration(field: "target", message: "there is no column '\(target)' (columns: \(data.columns.map(\.name).joined(separator: ", ")))")
            }
        },
        train: { context, spec in try train(context, raw: try read(context), spec: spec) })

    /// The training data of a session, as the supervised tasks read it.
    static func read(_ context: TrainingContext) throws -> RawData {
        guard let raw = try context.read(context.train) as? RawData else {
            throw TrainingError.invalidData("\(context.train.name): the supervised tasks train on tables and labelled images")
        }
        return raw
    }

    /// Image shape and class count of the training data, for templates that size their network from the data.
    static func facts(of raw: RawData, plan: TrainingPlan, task: TaskKind) throws -> DataFacts {
        switch raw {
        case let .images(set):
            return DataFacts(imageShape: set.sampleShape, classCount: Set(set.labels).isEmpty ? 0 : (set.labels.max() ?? 0) + 1)
        case let .table(table, source):
            guard let target = plan.request.target, let column = table[target] else {
                throw TrainingError.invalidData("\(source): there is no target column '\(plan.request.target ?? "")'")
            }
            let encoding = try TargetEncoding.fit(column, column: target, form: task == .regression ? .value : .classIDs)
            return DataFacts(classCount: encoding.classes?.count ?? encoding.classCount)
        }
    }

    /// Trains `spec` on `raw` through the session, scores and saves the model.
    static func train(_ context: TrainingContext, raw: RawData, spec: ModelSpec) throws -> TrainingOutcome {
        let plan = context.plan, values = plan.values
        let text = plan.readsText
            ? TrainingSet.TextOptions(column: plan.request.textColumn, vocabularySize: values.int("vocabulary_size"),
                                      length: values.int("sequence_length"))
            : nil
        // The weights depend on the seed alone, whatever else this process builds at the same time.
        let (set, model) = try WeightSeed.withSeed(plan.seed) {
            try TrainingSet.prepare(raw, spec: spec, target: plan.request.target,
                                    validationSplit: values.double("validation_split"), seed: plan.seed,
                                    scaleTarget: true, text: text)
        }
        model.metadata[Preprocessing.metadataKey] = try set.preprocessing.encoded()
        model.metadata[CodecRegistry.metadataKey] = SupervisedCodec.name
        model.metadata["kouzi.spec"] = plan.modelName
        let epochs = values.int("epochs"), batchSize = values.int("batch_size")
        let (history, resumed) = try context.fit(
            model, data: try set.stream(set.train, batchSize: batchSize, shuffleSeed: plan.seed),
            validation: try set.validation.map { try set.stream($0, batchSize: Swift.max(batchSize, 256), shuffleSeed: nil) },
            epochs: epochs, callbacks: try spec.learningRateSchedule(epochs: epochs).map { [LearningRateScheduler($0)] } ?? [])
        let (x, y, split) = try evaluationData(context, set, model: model)
        let report = try EvaluationReport.make(model: model, x: x, y: y, target: set.preprocessing.target)
        try ModelOutput.save(model, to: context.output)
        return TrainingOutcome(modelDirectory: context.output, history: history, metrics: report.metrics, report: report,
                               reportSplit: split, resumedAfterEpoch: resumed, trainingExamples: set.train.count)
    }

    /// The test data when given, else the validation part, else the training part.
    private static func evaluationData(_ context: TrainingContext, _ set: TrainingSet, model: Model) throws -> (Tensor, Tensor, String) {
        if let test = context.test {
            guard let raw = try context.read(test) as? RawData else { throw TrainingError.invalidData("\(test.name): not table or image data") }
            let (x, y) = try set.preprocessing.examples(raw, inputShape: model.inputShape)
            return (x, y, "test")
        }
        if let validation = set.validation { return (validation.x, validation.y, "validation") }
        return (set.train.x, set.train.y, "training")
    }

    /// Checks a template's table or images data and its target and text columns.
    static func check(_ template: AlgorithmTemplate, _ data: DatasetDescription, target: String?, textColumn: String?) throws {
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
        if template.task == .regression && targetType != "float" && targetType != "integer" {
            throw TrainingError.invalidConfiguration(field: "target",
                message: "template '\(template.id)' predicts numbers, but column '\(target)' holds \(targetType) values")
        }
        let features = data.columns.filter { $0.name != target }
        guard !features.isEmpty else {
            throw TrainingError.invalidConfiguration(field: "dataset", message: "there are no feature columns besides the target '\(target)'")
        }
        let textColumns = features.filter { $0.type == "text" || $0.type == "categorical" }.map(\.name)
        if template.readsText {
            if let textColumn {
                guard features.contains(where: { $0.name == textColumn }) else {
                    throw TrainingError.invalidConfiguration(field: "textColumn", message: "there is no column '\(textColumn)' besides the target")
                }
            } else if textColumns.count != 1 {
                throw TrainingError.invalidConfiguration(field: "textColumn", message: textColumns.isEmpty
                    ? "template '\(template.id)' reads sentences, but the table has no text column besides the target"
                    : "the table has several text columns (\(textColumns.joined(separator: ", "))); name one with textColumn")
            }
        } else if textColumn != nil {
            throw TrainingError.invalidConfiguration(field: "textColumn", message: "template '\(template.id)' does not read text")
        }
    }
}

extension TrainingSet {
    /// A part as a stream of batches: shuffled every epoch (with a seed), batched, and prefetched on a thread of its
    /// own so the next batch is ready when a step ends.
    func stream(_ part: Part, batchSize: Int, shuffleSeed: UInt64?) throws -> Dataset<Batch> {
        let examples = try Dataset.tensorSlices(inputs: [part.x], targets: [trainingTargets(part)])
        let ordered = shuffleSeed.map { examples.shuffled(buffer: part.count, seed: $0) } ?? examples
        return ordered.batched(batchSize).prefetched(2)
    }
}

extension Preprocessing {
    /// Model inputs and encoded targets of labelled data (the target column of a table, the labels of images).
    package func examples(_ raw: RawData, inputShape: [Int]?) throws -> (x: Tensor, y: Tensor) {
        switch raw {
        case let .table(table, source):
            guard let column = target.column else {
                throw TrainingError.invalidData("\(source): the model does not record which column it predicts")
            }
            guard let values = table[column] else {
                throw TrainingError.invalidData("\(source): there is no column '\(column)', the target the model predicts "
                    + "(columns: \(table.columnNames.joined(separator: ", ")))")
            }
            return (try features(of: table, source: source, inputShape: inputShape), try target.encode(values))
        case let .images(set):
            return (try features(ofImages: set.x, sampleShape: set.sampleShape, source: set.source, inputShape: inputShape),
                    try target.encode(ids: set.labels))
        }
    }
}
