import Foundation
import KouziData
import KouziNN
import KouziTensor

/// Where training or evaluation data lies on disk.
public enum TrainingDataSource: Sendable, Equatable {
    /// A CSV file with a header row.
    case csv(path: String)
    /// An IDX images file and its IDX labels file.
    case idx(images: String, labels: String)

    /// Reads the examples.
    package func load() throws -> RawData {
        switch self {
        case let .csv(path):
            return .table(try CSVReader(delimiter: ",", trimsWhitespace: true).read(file: path), source: path)
        case let .idx(images, labels):
            return try RawData.idx(images: images, labels: labels)
        }
    }
}

/// Live progress of a training session.
public struct TrainingProgress: Sendable, Equatable {
    /// The current epoch, 1-based.
    public var epoch: Int
    public var epochs: Int
    /// Steps done in this epoch.
    public var step: Int
    public var steps: Int
    /// Running loss and metrics of this epoch.
    public var logs: [String: Double]
    /// Estimated seconds to the end of training, from the pace since this session started.
    public var etaSeconds: Double?
}

/// What a finished session produced.
public struct TrainingOutcome: Sendable {
    /// The saved model directory (`.kouzi`), with its preprocessing in the metadata.
    public var modelDirectory: String
    /// Per-epoch logs of every epoch, including those done before a resume.
    public var history: [[String: Double]]
    /// The scores on the test data (or the validation part, or the training data when there is neither).
    public var report: EvaluationReport
    /// Which data the report scores: `test`, `validation` or `training`.
    public var reportSplit: String
    /// The epoch training resumed after (0 for a fresh start).
    public var resumedAfterEpoch: Int
    public var trainingExamples: Int
}

/// The training session was asked to stop.
public struct TrainingCancelled: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "training was cancelled" }
}

/// Trains one model from a ``TrainingPlan`` on files, checkpointing after every epoch and resuming from the
/// newest checkpoint it finds.
///
/// The session is synchronous and CPU-bound; run it on a thread of its own. Hooks are called on that thread.
public final class TrainingSession: @unchecked Sendable {
    public let plan: TrainingPlan
    public let train: TrainingDataSource
    public let test: TrainingDataSource?
    public let checkpointDirectory: String
    /// Called after every step (throttle before doing I/O).
    public var onProgress: (TrainingProgress) -> Void = { _ in }
    /// Called when a checkpoint resumes the session, with the history it restores (epochs 1…n).
    public var onResume: (_ history: [[String: Double]]) throws -> Void = { _ in }
    /// Called after each epoch's checkpoint is written, with the epoch (1-based) and its logs.
    public var onEpoch: (_ epoch: Int, _ logs: [String: Double]) throws -> Void = { _, _ in }
    /// Polled after every step; true stops the session with ``TrainingCancelled``.
    public var shouldStop: () -> Bool = { false }

    public init(plan: TrainingPlan, train: TrainingDataSource, test: TrainingDataSource?, checkpointDirectory: String) {
        self.plan = plan
        self.train = train
        self.test = test
        self.checkpointDirectory = checkpointDirectory
    }

    /// Trains, evaluates and saves the model to `output`.
    public func run(output: String) throws -> TrainingOutcome {
        let raw = try train.load()
        let values = plan.values
        let spec = try plan.spec ?? plan.template!.spec(for: try facts(of: raw), values)
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
        model.metadata["kouzi.spec"] = plan.modelName
        let epochs = values.int("epochs")
        var history: [[String: Double]] = []
        if let checkpoint = try Checkpoint.latest(in: checkpointDirectory), checkpoint.epoch <= epochs {
            try checkpoint.restore(into: model)
            history = checkpoint.history
            try onResume(history)
        }
        let resumed = history.count
        let hooks = Hooks(session: self, epochs: epochs, batchSize: values.int("batch_size"), examples: set.train.count,
                          startEpoch: resumed, history: history)
        if resumed < epochs {
            try model.fit(x: set.train.x, y: set.trainingTargets(set.train), epochs: epochs, batchSize: values.int("batch_size"),
                          validationData: set.validation.map { ($0.x, set.trainingTargets($0)) },
                          callbacks: [hooks] + (try spec.learningRateSchedule(epochs: epochs).map { [LearningRateScheduler($0)] } ?? []),
                          verbose: .silent, seed: plan.seed, initialEpoch: resumed)
        }
        let (x, y, split) = try evaluationData(set, model: model)
        let report = try EvaluationReport.make(model: model, x: x, y: y, target: set.preprocessing.target)
        try ModelOutput.save(model, to: output)
        return TrainingOutcome(modelDirectory: output, history: hooks.history, report: report, reportSplit: split,
                               resumedAfterEpoch: resumed, trainingExamples: set.train.count)
    }

    /// Image shape and class count, for templates.
    private func facts(of raw: RawData) throws -> DataFacts {
        switch raw {
        case let .images(set):
            return DataFacts(imageShape: set.sampleShape, classCount: Set(set.labels).isEmpty ? 0 : (set.labels.max() ?? 0) + 1)
        case let .table(table, source):
            guard let target = plan.request.target, let column = table[target] else {
                throw TrainingError.invalidData("\(source): there is no target column '\(plan.request.target ?? "")'")
            }
            let form: TargetForm = plan.template?.task == .regression ? .value : .classIDs
            let encoding = try TargetEncoding.fit(column, column: target, form: form)
            return DataFacts(classCount: encoding.classes?.count ?? encoding.classCount)
        }
    }

    /// The test data when given, else the validation part, else the training part.
    private func evaluationData(_ set: TrainingSet, model: Model) throws -> (Tensor, Tensor, String) {
        if let test {
            let (x, y) = try set.preprocessing.examples(try test.load(), inputShape: model.inputShape)
            return (x, y, "test")
        }
        if let validation = set.validation { return (validation.x, validation.y, "validation") }
        return (set.train.x, set.train.y, "training")
    }

    /// The callback that reports progress, writes checkpoints and honours cancellation.
    private final class Hooks: Callback {
        unowned let session: TrainingSession
        let epochs: Int, steps: Int, startEpoch: Int
        var history: [[String: Double]]
        var epoch = 0
        let started = Date()
        var stepsDone = 0

        init(session: TrainingSession, epochs: Int, batchSize: Int, examples: Int, startEpoch: Int, history: [[String: Double]]) {
            self.session = session
            self.epochs = epochs
            steps = (examples + batchSize - 1) / batchSize
            self.startEpoch = startEpoch
            self.history = history
        }

        func onEpochBegin(_ epoch: Int, model: Model) throws { self.epoch = epoch }

        func onBatchEnd(_ batch: Int, logs: [String: Float], model: Model) throws {
            stepsDone += 1
            let remaining = (epochs - epoch) * steps - (batch + 1)
            let pace = Date().timeIntervalSince(started) / Double(stepsDone)
            session.onProgress(TrainingProgress(epoch: epoch + 1, epochs: epochs, step: batch + 1, steps: steps,
                                                logs: logs.mapValues(Double.init), etaSeconds: pace * Double(remaining)))
            if session.shouldStop() { throw TrainingCancelled() }
        }

        func onEpochEnd(_ epoch: Int, logs: [String: Float], model: Model) throws {
            let values = logs.mapValues(Double.init)
            history.append(values)
            _ = try Checkpoint.save(model, epoch: epoch + 1, history: history, in: session.checkpointDirectory)
            try session.onEpoch(epoch + 1, values)
            if session.shouldStop() { throw TrainingCancelled() }
        }
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
