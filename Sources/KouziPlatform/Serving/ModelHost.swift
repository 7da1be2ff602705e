import Foundation
import KouziInference
import KouziRec

/// The models loaded in this process, one slot per deployment: the version serving now and the one loading.
///
/// A load unpacks the version's package, builds the model and runs a few warm-up passes on its own thread; only
/// then does the slot switch to it, so requests never wait on a swap and a failed load leaves the old version
/// serving (the error is kept for the deployment's status).
///
/// With a memory budget, the models loaded together stay within it: a model that finishes loading unloads the
/// least recently used others until the estimates fit (they load again on their next request), and a model whose
/// estimate alone exceeds the budget fails to load.
final class ModelHost: @unchecked Sendable {
    struct Slot {
        var ready: (any ServedVersion)?
        var loading: Int64?
        var error: String?
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// The ready model's memory estimate, and when it was last asked for (seconds, monotonic).
        var bytes: Int64 = 0
        var lastUsed: Double = 0
        /// Whether the ready model was unloaded to keep within the memory budget.
        var evicted = false
        /// The version whose last load failed, and when (a failed version is not tried again for a while).
        var failed: (version: Int64, at: Double)?
    }

    /// Seconds before a version whose load failed is tried again (requests meanwhile get the error).
    static let retryAfterFailure = 10.0

    let registry: ModelRegistry
    /// The codecs that serve the tasks' models.
    let codecs: CodecRegistry
    let directory: URL
    let batching: BatchingOptions
    /// Bytes the loaded models may take together (their estimates); nil: no limit.
    let memoryBudget: Int64?
    /// Hears each forward pass: the deployment and its rows.
    let onBatch: @Sendable (String, Int) -> Void
    private let lock = NSLock()
    private var slots: [String: Slot] = [:]

    init(registry: ModelRegistry, codecs: CodecRegistry, directory: URL, batching: BatchingOptions, memoryBudget: Int64? = nil,
         onBatch: @escaping @Sendable (String, Int) -> Void) {
        self.registry = registry
        self.codecs = codecs
        self.directory = directory
        self.batching = batching
        self.memoryBudget = memoryBudget
        self.onBatch = onBatch
    }

    /// The models loaded now with their memory estimates and last use.
    var loadedSlots: [String: Slot] { lock.withLock { slots.filter { $0.value.ready != nil } } }

    /// The models answering now, by deployment.
    var loaded: [String: any ServedVersion] { lock.withLock { slots.compactMapValues(\.ready) } }

    func state(_ name: String) -> Slot { lock.withLock { slots[name] ?? Slot() } }

    /// Starts loading the deployment's version unless it is loaded or loading.
    func load(_ deployment: Deployment) {
        let start: Bool = lock.withLock {
            var slot = slots[deployment.name] ?? Slot()
            if slot.ready?.version == deployment.version || slot.loading == deployment.version { return false }
            if let failed = slot.failed, failed.version == deployment.version, Batcher.now() - failed.at < Self.retryAfterFailure {
                return false
            }
            slot.loading = deployment.version
            slots[deployment.name] = slot
            return true
        }
        guard start else { return }
        Task.detached { [self] in
            let result: Result<any ServedVersion, any Error>
            do { result = .success(try await self.build(deployment)) } catch { result = .failure(error) }
            let waiters: [CheckedContinuation<Void, Never>] = self.lock.withLock {
                guard var slot = self.slots[deployment.name], slot.loading == deployment.version else { return [] }
                switch result {
                case let .success(model):
                    let bytes = model.estimatedBytes(maxBatch: self.batching.maxBatchSize)
                    if let budget = self.memoryBudget, bytes > budget {
                        slot.error = "loading version \(deployment.version) failed: the model needs about \(Self.mebibytes(bytes)) "
                            + "but the model memory budget is \(Self.mebibytes(budget))"
                        slot.failed = (deployment.version, Batcher.now())
                    } else {
                        slot.ready = model
                        slot.bytes = bytes
                        slot.lastUsed = Batcher.now()
                        slot.evicted = false
                        slot.error = nil
                        slot.failed = nil
                    }
                case let .failure(error):
                    slot.error = "loading version \(deployment.version) failed: \(error)"
                    slot.failed = (deployment.version, Batcher.now())
                }
                slot.loading = nil
                let waiting = slot.waiters
                slot.waiters = []
                self.slots[deployment.name] = slot
                self.keepWithinBudget(sparing: deployment.name)
                return waiting
            }
            waiters.forEach { $0.resume() }
        }
    }

    /// Unpacks, loads and warms a version.
    private func build(_ deployment: Deployment) async throws -> any ServedVersion {
        let path = directory.appendingPathComponent("\(deployment.name)-v\(deployment.version)-\(UUID().uuidString.prefix(8)).kouzi")
        defer { try? FileManager.default.removeItem(at: path) }
        _ = try await registry.unpackVersion(modelID: deployment.modelID, number: deployment.version, into: path)
        let batching = self.batching, onBatch = self.onBatch, codecs = self.codecs
        // Arms of an A/B split are named `deployment#variant`; their passes count for the deployment.
        let base = String(deployment.name.split(separator: "#").first ?? Substring(deployment.name))
        return try await runDetached { () throws -> any ServedVersion in
            if FactorRecommender.isSaved(in: path.path) {
                return try ServedRecommender(deployment: deployment.name, modelID: deployment.modelID, version: deployment.version,
                                             path: path.path)
            }
            let model = try ServedModel(deployment: deployment.name, modelID: deployment.modelID, version: deployment.version,
                                        path: path.path, codecs: codecs, batching: batching) { onBatch(base, $0) }
            try model.warmUp()
            return model
        }
    }

    /// Unloads the least recently used models (not `spared`) until the estimates fit the budget. Call with the lock.
    private func keepWithinBudget(sparing spared: String) {
        guard let budget = memoryBudget else { return }
        var total = slots.values.reduce(Int64(0)) { $0 + ($1.ready == nil ? 0 : $1.bytes) }
        let candidates = slots.filter { $0.key != spared && $0.value.ready != nil }.sorted { $0.value.lastUsed < $1.value.lastUsed }
        for (name, slot) in candidates where total > budget {
            total -= slot.bytes
            slots[name]?.ready = nil
            slots[name]?.bytes = 0
            slots[name]?.evicted = true
        }
    }

    static func mebibytes(_ bytes: Int64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

    /// The model answering for the deployment now, loading it first when this process has none.
    func serving(_ deployment: Deployment) async throws -> any ServedVersion {
        load(deployment)
        if let ready = touch(deployment.name) { return ready }
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

    /// The ready model of a slot, marked as just used.
    private func touch(_ name: String) -> (any ServedVersion)? {
        lock.withLock {
            guard let ready = slots[name]?.ready else { return nil }
            slots[name]?.lastUsed = Batcher.now()
            return ready
        }
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
