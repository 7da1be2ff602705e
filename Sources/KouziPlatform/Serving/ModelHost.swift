import Foundation

/// The models loaded in this process, one slot per deployment: the version serving now and the one loading.
///
/// A load unpacks the version's package, builds the model and runs a few warm-up passes on its own thread; only
/// then does the slot switch to it, so requests never wait on a swap and a failed load leaves the old version
/// serving (the error is kept for the deployment's status).
final class ModelHost: @unchecked Sendable {
    struct Slot {
        var ready: ServedModel?
        var loading: Int64?
        var error: String?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let registry: ModelRegistry
    let directory: URL
    let batching: BatchingOptions
    /// Hears each forward pass: the deployment and its rows.
    let onBatch: @Sendable (String, Int) -> Void
    private let lock = NSLock()
    private var slots: [String: Slot] = [:]

    init(registry: ModelRegistry, directory: URL, batching: BatchingOptions, onBatch: @escaping @Sendable (String, Int) -> Void) {
        self.registry = registry
        self.directory = directory
        self.batching = batching
        self.onBatch = onBatch
    }

    /// The models answering now, by deployment.
    var loaded: [String: ServedModel] { lock.withLock { slots.compactMapValues(\.ready) } }

    func state(_ name: String) -> Slot { lock.withLock { slots[name] ?? Slot() } }

    /// Starts loading the deployment's version unless it is loaded or loading.
    func load(_ deployment: Deployment) {
        let start: Bool = lock.withLock {
            var slot = slots[deployment.name] ?? Slot()
            if slot.ready?.version == deployment.version || slot.loading == deployment.version { return false }
            slot.loading = deployment.version
            slots[deployment.name] = slot
            return true
        }
        guard start else { return }
        Task.detached { [self] in
            let result: Result<ServedModel, any Error>
            do { result = .success(try await self.build(deployment)) } catch { result = .failure(error) }
            let waiters: [CheckedContinuation<Void, Never>] = self.lock.withLock {
                guard var slot = self.slots[deployment.name], slot.loading == deployment.version else { return [] }
                switch result {
                case let .success(model): slot.ready = model; slot.error = nil
                case let .failure(error): slot.error = "loading version \(deployment.version) failed: \(error)"
                }
                slot.loading = nil
                let waiting = slot.waiters
                slot.waiters = []
                self.slots[deployment.name] = slot
                return waiting
            }
            waiters.forEach { $0.resume() }
        }
    }

    /// Unpacks, loads and warms a version.
    private func build(_ deployment: Deployment) async throws -> ServedModel {
        let path = directory.appendingPathComponent("\(deployment.name)-v\(deployment.version)-\(UUID().uuidString.prefix(8)).kouzi")
        defer { try? FileManager.default.removeItem(at: path) }
        _ = try await registry.unpackVersion(modelID: deployment.modelID, number: deployment.version, into: path)
        let batching = self.batching, onBatch = self.onBatch
        // Arms of an A/B split are named `deployment#variant`; their passes count for the deployment.
        let base = String(deployment.name.split(separator: "#").first ?? Substring(deployment.name))
        return try await runDetached {
            let model = try ServedModel(deployment: deployment.name, modelID: deployment.modelID, version: deployment.version,
                                        path: path.path, batching: batching) { onBatch(base, $0) }
            try model.warmUp()
            return model
        }
    }

    /// The model answering for the deployment now, loading it first when this process has none.
    func serving(_ deployment: Deployment) async throws -> ServedModel {
        load(deployment)
        if let ready = state(deployment.name).ready { return ready }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = lock.withLock {
                guard var slot = slots[deployment.name], slot.loading != nil else { return true }
                slot.waiters.append(continuation)
                slots[deployment.name] = slot
                return false
            }
            if resumeNow { continuation.resume() }
        }
        let slot = state(deployment.name)
        guard let ready = slot.ready else {
            throw PlatformError(.unavailable, code: "model_unavailable", "model '\(deployment.name)' could not be loaded: \(slot.error ?? "unknown error")")
        }
        return ready
    }

    func unload(_ name: String) {
        let waiters: [CheckedContinuation<Void, Never>] = lock.withLock {
            let waiting = slots[name]?.waiters ?? []
            slots[name] = nil
            return waiting
        }
        waiters.forEach { $0.resume() }
    }
}
