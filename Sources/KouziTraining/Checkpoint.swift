import Foundation
import KouziNN
import KouziTensor

/// A training run's state after a completed epoch: weights, optimiser buffers and the history so far.
///
/// Each checkpoint is a directory `epoch-NNNNNN` written under a temporary name and renamed into place, so the
/// newest complete one is always readable even when the process is killed while writing; older ones are
/// removed after a newer one lands.
package struct Checkpoint {
    /// Epochs completed.
    package var epoch: Int
    /// Per-epoch logs of epochs 1…``epoch``.
    package var history: [[String: Double]]
    /// Where the checkpoint directory is.
    package var path: String

    static let modelName = "model.kouzi", optimizerName = "optimizer.safetensors", stateName = "state.json"

    /// Writes a checkpoint of `model` after `epoch` epochs into `directory` and removes older ones.
    package static func save(_ model: Model, epoch: Int, history: [[String: Double]], in directory: String) throws -> Checkpoint {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = String(format: "epoch-%06d", epoch)
        let target = directory + "/" + name
        let temporary = directory + "/." + name + "-" + UUID().uuidString
        try fm.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        do {
            try model.save(to: temporary + "/" + modelName)
            if let optimizer = model.optimizer {
                let snapshot = optimizer.stateSnapshot(model.namedParameters)
                try SafeTensors.write(snapshot.tensors, metadata: snapshot.metadata, to: temporary + "/" + optimizerName)
            }
            let state = try JSONEncoder().encode(State(epoch: epoch, history: history))
            try write(state, to: temporary + "/" + stateName)
            if fm.fileExists(atPath: target) { try fm.removeItem(atPath: target) }
            try fm.moveItem(atPath: temporary, toPath: target)
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
        for old in try fm.contentsOfDirectory(atPath: directory) where old != name {
            try? fm.removeItem(atPath: directory + "/" + old)
        }
        return Checkpoint(epoch: epoch, history: history, path: target)
    }

    /// The newest complete checkpoint in `directory`, or nil.
    package static func latest(in directory: String) throws -> Checkpoint? {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return nil }
        for name in names.filter({ $0.hasPrefix("epoch-") }).sorted().reversed() {
            let path = directory + "/" + name
            guard let data = fm.contents(atPath: path + "/" + stateName),
                  let state = try? JSONDecoder().decode(State.self, from: data) else { continue }
            return Checkpoint(epoch: state.epoch, history: state.history, path: path)
        }
        return nil
    }

    /// Loads the weights and optimiser state into `model` (built from the same spec).
    package func restore(into model: Model) throws {
        let saved = try Model.load(from: path + "/" + Self.modelName)
        let weights = Dictionary(uniqueKeysWithValues: saved.namedParameters.map { ($0.name, $0.parameter) })
        for (name, p) in model.namedParameters where p.value.count > 0 {
            guard let w = weights[name], w.value.shape == p.value.shape else {
                throw TrainingError.failed("checkpoint \(path) does not fit the model: weight '\(name)' is missing or has another shape")
            }
            p.assign(w.value)
        }
        if let optimizer = model.optimizer, FileManager.default.fileExists(atPath: path + "/" + Self.optimizerName) {
            let (tensors, metadata) = try SafeTensors.read(from: path + "/" + Self.optimizerName)
            try optimizer.restoreState(tensors, metadata: metadata, model.namedParameters)
        }
    }

    private struct State: Codable {
        var epoch: Int
        var history: [[String: Double]]
    }

    private static func write(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw TrainingError.failed("cannot write \(path)")
        }
        defer { try? h.close() }
        try h.write(contentsOf: data)
        try h.synchronize()
    }
}
