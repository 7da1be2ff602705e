import Foundation
import KouziBase
import KouziNN

/// Live progress of a training session.
public struct TrainingProgress: Sendable, Equatable {
    /// The current epoch, 1-based.
    public var epoch: Int
    public var epochs: Int
    /// Steps done in this epoch.
    public var step: Int
    /// Steps in an epoch, when known.
    public var steps: Int
    /// Running loss and metrics of this epoch.
    public var logs: [String: Double]
    /// Estimated seconds to the end of training, from the pace since this session started.
    public var etaSeconds: Double?

    public init(epoch: Int, epochs: Int, step: Int, steps: Int, logs: [String: Double], etaSeconds: Double?) {
        self.epoch = epoch
        self.epochs = epochs
        self.step = step
        self.steps = steps
        self.logs = logs
        self.etaSeconds = etaSeconds
    }
}

/// What a finished session produced.
public struct TrainingOutcome: Sendable {
    /// The saved model directory.
    public var modelDirectory: String
    /// Per-epoch logs of every epoch, including those done before a resume (empty for models without epochs).
    public var history: [[String: Double]]
    /// The scores the model is registered with, under ``reportSplit``.
    public var metrics: [String: Double]
    /// A full evaluation report on labelled data (confusion matrix, ROC curves…), when the task scores that way.
    public var report: EvaluationReport?
    /// Which data the scores are on: `test`, `validation`, `training`, `holdout`.
    public var reportSplit: String
    /// The epoch training resumed after (0 for a fresh start).
    public var resumedAfterEpoch: Int
    public var trainingExamples: Int
    /// Task-specific facts for the job's result (`interactions`, `users`, `evaluation`…).
    public var details: [String: JSONValue]

    public init(modelDirectory: String, history: [[String: Double]] = [], metrics: [String: Double], report: EvaluationReport? = nil,
                reportSplit: String, resumedAfterEpoch: Int = 0, trainingExamples: Int, details: [String: JSONValue] = [:]) {
        self.modelDirectory = modelDirectory
        self.history = history
        self.metrics = metrics
        self.report = report
        self.reportSplit = reportSplit
        self.resumedAfterEpoch = resumedAfterEpoch
        self.trainingExamples = trainingExamples
        self.details = details
    }
}

/// The training session was asked to stop.
public struct TrainingCancelled: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "training was cancelled" }
}

/// Trains one model from a ``TrainingPlan`` on files: the plan's template (or the catalogue's spec training) does
/// the work through a ``TrainingContext``, which checkpoints after every epoch, resumes from the newest checkpoint
/// it finds, reports progress and honours cancellation.
///
/// The session is synchronous and CPU-bound; run it on a thread of its own. Hooks are called on that thread.
public final class TrainingSession: @unchecked Sendable {
    public let plan: TrainingPlan
    public let train: TrainingDataSource
    public let test: TrainingDataSource?
    public let checkpointDirectory: String
    /// Reads the data sets.
    public let catalogue: TrainingCatalogue
    /// Called after every step (throttle before doing I/O).
    public var onProgress: (TrainingProgress) -> Void = { _ in }
    /// Called when a checkpoint resumes the session, with the history it restores (epochs 1…n).
    public var onResume: (_ history: [[String: Double]]) throws -> Void = { _ in }
    /// Called after each epoch's checkpoint is written, with the epoch (1-based) and its logs.
    public var onEpoch: (_ epoch: Int, _ logs: [String: Double]) throws -> Void = { _, _ in }
    /// Hears what the session does, one line at a time (data read, held-out scores…).
    public var onLog: (String) -> Void = { _ in }
    /// Polled after every step; true stops the session with ``TrainingCancelled``.
    public var shouldStop: () -> Bool = { false }

    public init(plan: TrainingPlan, train: TrainingDataSource, test: TrainingDataSource?, checkpointDirectory: String,
                catalogue: TrainingCatalogue) {
        self.plan = plan
        self.train = train
        self.test = test
        self.checkpointDirectory = checkpointDirectory
        self.catalogue = catalogue
    }

    /// Trains, evaluates and saves the model to `output`.
    public func run(output: String) throws -> TrainingOutcome {
        try plan.train(TrainingContext(session: self, output: output))
    }
}
