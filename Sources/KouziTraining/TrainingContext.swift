import Foundation
import KouziBase
import KouziData
import KouziNN

/// What a template's trainer gets from a ``TrainingSession``: the plan, the data sources and where to save, and a
/// `fit` that does the session's part — checkpoints after every epoch, resumption from the newest one, progress and
/// cancellation.
public struct TrainingContext {
    let session: TrainingSession
    /// Where the trained model goes.
    public let output: String

    /// The checked request.
    public var plan: TrainingPlan { session.plan }
    /// The training data.
    public var train: TrainingDataSource { session.train }
    /// Labelled data to score on, when given.
    public var test: TrainingDataSource? { session.test }

    /// Reads a data source with its data kind's reader.
    public func read(_ source: TrainingDataSource) throws -> any TrainingExamples { try session.catalogue.read(source) }

    /// Passes a line to the session's log.
    public func log(_ line: String) { session.onLog(line) }

    /// Whether the session was asked to stop.
    public var shouldStop: Bool { session.shouldStop() }

    /// Trains `model` for `epochs` epochs of `data` (after the epochs a checkpoint in the session's directory already
    /// holds), writing a checkpoint after every epoch and reporting progress; returns every epoch's logs (the
    /// restored ones first) and the epoch it resumed after.
    ///
    /// Build the model the same way on every run (the weights depend on the seed alone), so a resumed session
    /// continues the very model the interrupted one trained.
    /// - Throws: ``TrainingCancelled`` when the session is asked to stop, or `fit`'s errors.
    public func fit(_ model: Model, data: Dataset<Batch>, validation: Dataset<Batch>? = nil, epochs: Int,
                    callbacks: [any Callback] = []) throws -> (history: [[String: Double]], resumedAfterEpoch: Int) {
        let backup = BackupAndRestore(directory: session.checkpointDirectory)
        let hooks = Hooks(session: session, epochs: epochs, steps: data.count)
        let start = try backup.restore(into: model) ?? 0
        let restored = backup.restoredHistory.map { $0.mapValues(Double.init) }
        if start > 0 { try session.onResume(restored) }
        hooks.startEpoch = start
        // The backup resumes before fit starts, so fit is told where to begin.
        if start < epochs {
            try model.fit(data, epochs: epochs, validationData: validation, callbacks: callbacks + [PersistingBackup(backup), hooks],
                          verbose: .silent, seed: plan.seed, initialEpoch: start)
        }
        return (restored + hooks.history, Swift.min(start, epochs))
    }

    /// Writes the session's checkpoint after each epoch (the restore happened before `fit`).
    private final class PersistingBackup: Callback {
        let backup: BackupAndRestore
        init(_ backup: BackupAndRestore) { self.backup = backup }
        func onEpochEnd(_ epoch: Int, logs: [String: Float], model: Model) throws {
            try backup.onEpochEnd(epoch, logs: logs, model: model)
        }
    }

    /// The callback that reports progress, hands each checkpointed epoch to the session and honours cancellation.
    private final class Hooks: Callback {
        unowned let session: TrainingSession
        let epochs: Int, steps: Int?
        var startEpoch = 0
        var history: [[String: Double]] = []
        var epoch = 0
        let started = MonotonicClock.seconds()
        var stepsDone = 0

        init(session: TrainingSession, epochs: Int, steps: Int?) {
            self.session = session
            self.epochs = epochs
            self.steps = steps
        }

        func onEpochBegin(_ epoch: Int, model: Model) throws { self.epoch = epoch }

        func onBatchEnd(_ batch: Int, logs: [String: Float], model: Model) throws {
            stepsDone += 1
            let perEpoch = steps ?? (batch + 1)
            let remaining = (epochs - epoch) * perEpoch - (batch + 1)
            let pace = (MonotonicClock.seconds() - started) / Double(stepsDone)
            session.onProgress(TrainingProgress(epoch: epoch + 1, epochs: epochs, step: batch + 1, steps: perEpoch,
                                                logs: logs.mapValues(Double.init), etaSeconds: steps == nil ? nil : pace * Double(remaining)))
            if session.shouldStop() { throw TrainingCancelled() }
        }

        func onEpochEnd(_ epoch: Int, logs: [String: Float], model: Model) throws {
            // A stop asked for while the checkpoint was written skips the epoch's report: a resumed session re-reports
            // the checkpoint's history, a cancelled one ends at once.
            if session.shouldStop() { throw TrainingCancelled() }
            let values = logs.mapValues(Double.init)
            history.append(values)
            try session.onEpoch(epoch + 1, values)
            if session.shouldStop() { throw TrainingCancelled() }
        }
    }
}
