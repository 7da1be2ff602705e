import Foundation
import KouziTensor

/// A callback that can put a model back where an earlier run stopped; `fit` asks it before the first epoch and
/// starts after the epochs it restored.
public protocol RestoringCallback: Callback {
    /// Restores the model (weights, optimiser state) and returns the number of epochs already done, or nil when
    /// there is nothing to restore.
    func restore(into model: Model) throws -> Int?
}

/// Backs the training state up after every epoch and restores it when `fit` starts again, so an interrupted run
/// (a killed process, a stopped job) resumes where it stopped and ends with the weights an uninterrupted run would
/// have (Keras' `BackupAndRestore`).
///
/// A backup is a directory `epoch-NNNNNN` holding every parameter (trainable or not), the state of each of the
/// model's ``Model/optimizers`` and the logs so far, written under a temporary name and renamed into place; older
/// backups are removed after a newer one lands. Shuffling, dropout and ``Model/stepContext`` draws depend on the
/// seed, epoch and step only, so the resumed epochs see what they would have seen.
///
/// ```swift
/// try gan.fit(data, epochs: 20, callbacks: [BackupAndRestore(directory: "gan-backup")])
/// ```
public final class BackupAndRestore: RestoringCallback {
    /// Where the backups are written.
    public let directory: String
    /// The logs of the epochs done before this run resumed (empty for a fresh start).
    public private(set) var restoredHistory: [[String: Float]] = []
    private var logs: [[String: Float]] = []

    static let weightsName = "weights.safetensors", stateName = "state.json"

    /// A callback backing up into `directory` (created when missing).
    public init(directory: String) { self.directory = directory }

    public func restore(into model: Model) throws -> Int? {
        logs = []
        restoredHistory = []
        guard let latest = Self.latest(in: directory) else { return nil }
        let (weights, _) = try SafeTensors.read(from: latest.path + "/" + Self.weightsName)
        let named = model.namedParameters.filter { $0.parameter.value.count > 0 }
        for (name, parameter) in named {
            guard let saved = weights[name], saved.shape == parameter.value.shape, saved.dtype == parameter.value.dtype else {
                throw NNError.invalidArgument("backup \(latest.path) does not fit \(model.name): weight '\(name)' is missing or has another shape")
            }
            parameter.assign(saved)
        }
        for (key, optimizer) in model.optimizers {
            let path = latest.path + "/" + Self.optimizerFile(key)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let (tensors, metadata) = try SafeTensors.read(from: path)
            try optimizer.restoreState(tensors, metadata: metadata, model.namedParameters)
        }
        logs = latest.state.history
        restoredHistory = logs
        return latest.state.epoch
    }

    public func onEpochEnd(_ epoch: Int, logs epochLogs: [String: Float], model: Model) throws {
        logs.append(epochLogs)
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = String(format: "epoch-%06d", epoch + 1)
        let temporary = directory + "/." + name + "-" + UUID().uuidString
        try fm.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        do {
            let weights = model.namedParameters.filter { $0.parameter.value.count > 0 }.map { ($0.name, $0.parameter.value) }
            try SafeTensors.write(weights, metadata: ["epoch": String(epoch + 1)], to: temporary + "/" + Self.weightsName)
            for (key, optimizer) in model.optimizers {
                let snapshot = optimizer.stateSnapshot(model.namedParameters)
                try SafeTensors.write(snapshot.tensors, metadata: snapshot.metadata, to: temporary + "/" + Self.optimizerFile(key))
            }
            let state = try JSONEncoder().encode(State(epoch: epoch + 1, history: logs))
            try AtomicFile.write(Array(state), to: temporary + "/" + Self.stateName)
            let target = directory + "/" + name
            if fm.fileExists(atPath: target) { try fm.removeItem(atPath: target) }
            try fm.moveItem(atPath: temporary, toPath: target)
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
        for old in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] where old != name && old.hasPrefix("epoch-") {
            try? fm.removeItem(atPath: directory + "/" + old)
        }
    }

    static func optimizerFile(_ key: String) -> String { "optimizer-\(key).safetensors" }

    struct State: Codable {
        var epoch: Int
        var history: [[String: Float]]
    }

    /// The newest complete backup in `directory`: its folder, the epochs it holds and their logs.
    public static func latestBackup(in directory: String) -> (path: String, epoch: Int, history: [[String: Float]])? {
        latest(in: directory).map { ($0.path, $0.state.epoch, $0.state.history) }
    }

    /// The newest complete backup in `directory`.
    static func latest(in directory: String) -> (path: String, state: State)? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.filter({ $0.hasPrefix("epoch-") }).sorted().reversed() {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path + "/" + stateName),
                  let state = try? JSONDecoder().decode(State.self, from: data) else { continue }
            return (path, state)
        }
        return nil
    }
}
