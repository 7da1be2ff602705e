import Foundation
import KouziTensor

/// Hooks into ``Model/fit``. Every method has an empty default.
public protocol Callback: AnyObject {
    func onTrainBegin(model: Model) throws
    func onEpochBegin(_ epoch: Int, model: Model) throws
    func onBatchEnd(_ batch: Int, logs: [String: Float], model: Model) throws
    func onEpochEnd(_ epoch: Int, logs: [String: Float], model: Model) throws
    func onTrainEnd(model: Model) throws
}

extension Callback {
    public func onTrainBegin(model: Model) throws {}
    public func onEpochBegin(_ epoch: Int, model: Model) throws {}
    public func onBatchEnd(_ batch: Int, logs: [String: Float], model: Model) throws {}
    public func onEpochEnd(_ epoch: Int, logs: [String: Float], model: Model) throws {}
    public func onTrainEnd(model: Model) throws {}
}

/// Whether a smaller or a larger monitored value is better.
public enum MonitorMode: String, Sendable {
    case min, max, auto

    func resolved(for key: String) -> MonitorMode {
        guard self == .auto else { return self }
        let k = key.lowercased()
        return ["acc", "auc", "precision", "recall", "f1", "r2"].contains(where: { k.contains($0) }) ? .max : .min
    }
}

/// Tracks the best value of a monitored log key.
struct BestTracker {
    let key: String
    let mode: MonitorMode
    let minDelta: Float
    var best: Float?

    init(key: String, mode: MonitorMode, minDelta: Float = 0) {
        self.key = key
        self.mode = mode.resolved(for: key)
        self.minDelta = Swift.abs(minDelta)
    }

    /// Records `logs`; true when the value improved on the best so far.
    mutating func improved(_ logs: [String: Float]) throws -> Bool {
        guard let v = logs[key] else {
            throw NNError.invalidArgument("monitored key '\(key)' is not in the logs (have: \(logs.keys.sorted().joined(separator: ", ")))")
        }
        guard let b = best else { best = v; return true }
        let better = mode == .min ? v < b - minDelta : v > b + minDelta
        if better { best = v }
        return better
    }
}

/// Stops training when a monitored value stops improving.
public final class EarlyStopping: Callback {
    public let patience: Int
    public let restoreBestWeights: Bool
    private var tracker: BestTracker
    private var wait = 0
    private var bestWeights: [Tensor]?
    /// The epoch (0-based) at which training stopped, if it did.
    public private(set) var stoppedEpoch: Int?

    public init(monitor: String = "val_loss", minDelta: Float = 0, patience: Int = 0,
                mode: MonitorMode = .auto, restoreBestWeights: Bool = false) {
        self.patience = patience
        self.restoreBestWeights = restoreBestWeights
        tracker = BestTracker(key: monitor, mode: mode, minDelta: minDelta)
    }

    public func onTrainBegin(model: Model) throws {
        wait = 0; tracker.best = nil; bestWeights = nil; stoppedEpoch = nil
    }

    public func onEpochEnd(_ epoch: Int, logs: [String: Float], model: Model) throws {
        if try tracker.improved(logs) {
            wait = 0
            if restoreBestWeights { bestWeights = model.parameters.map { $0.value.deepCopy() } }
        } else {
            wait += 1
            if wait > patience {
                stoppedEpoch = epoch
                model.stopTraining = true
                if restoreBestWeights, let bestWeights {
                    for (p, w) in zip(model.parameters, bestWeights) { p.assign(w) }
                }
            }
        }
    }
}

/// Saves the model after epochs (every epoch, or only when the monitored value improves).
public final class ModelCheckpoint: Callback {
    public let path: String
    public let saveBestOnly: Bool
    private var tracker: BestTracker

    public init(path: String, monitor: String = "val_loss", saveBestOnly: Bool = false, mode: MonitorMode = .auto) {
        self.path = path
        self.saveBestOnly = saveBestOnly
        tracker = BestTracker(key: monitor, mode: mode)
    }

    public func onTrainBegin(model: Model) throws { tracker.best = nil }

    public func onEpochEnd(_ epoch: Int, logs: [String: Float], model: Model) throws {
        let improved = saveBestOnly ? try tracker.improved(logs) : true
        if improved {
            try model.save(to: path.replacingOccurrences(of: "{epoch}", with: String(epoch + 1)))
        }
    }
}

/// Sets the optimiser's learning rate at the start of every epoch from a schedule.
public final class LearningRateScheduler: Callback {
    public let schedule: LearningRateSchedule
    private var base: Float?

    public init(_ schedule: LearningRateSchedule) { self.schedule = schedule }

    public func onTrainBegin(model: Model) throws { base = model.optimizer?.learningRate }

    public func onEpochBegin(_ epoch: Int, model: Model) throws {
        guard let base, let opt = model.optimizer else { return }
        opt.learningRate = schedule.rate(at: epoch, base: base)
    }
}

/// Appends each epoch's logs as a CSV row (header first).
public final class CSVLogger: Callback {
    public let path: String
    private var keys: [String]?
    private var handle: FileHandle?

    public init(path: String) { self.path = path }

    public func onTrainBegin(model: Model) throws {
        keys = nil
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw NNError.invalidArgument("CSVLogger: cannot create \(path)")
        }
        handle = h
    }

    public func onEpochEnd(_ epoch: Int, logs: [String: Float], model: Model) throws {
        guard let handle else { return }
        var text = ""
        if keys == nil {
            keys = logs.keys.sorted()
            text += (["epoch"] + keys!).joined(separator: ",") + "\n"
        }
        text += ([String(epoch + 1)] + keys!.map { logs[$0].map { String(describing: $0) } ?? "" }).joined(separator: ",") + "\n"
        try handle.write(contentsOf: Data(text.utf8))
        try handle.synchronize()
    }

    public func onTrainEnd(model: Model) throws {
        try handle?.close()
        handle = nil
    }
}

