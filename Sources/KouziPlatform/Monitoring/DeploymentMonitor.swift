import Foundation
import KouziInference
import KouziMonitoring
import KouziTraining

/// Watches each deployment's live inputs in this process: a sliding window of their features against the served
/// model's training reference, evaluated every `evaluateEveryRows` new rows into a stored snapshot and alert
/// transitions.
///
/// Recording a request costs an append under a lock on the request's path; its features are extracted afterwards on
/// a task of its own (readers of the window first take in what is waiting, so a report always covers every answered
/// request). Evaluation (sorting the window) runs on a task of its own too, one at a time per deployment. With
/// several server processes each keeps the window of the requests it answered.
final class DeploymentMonitor: @unchecked Sendable {
    struct Entry {
        var deploymentID: Int64
        /// The version whose reference the window compares with.
        var version: Int64
        var window: MonitorWindow
        var rowsSinceEvaluation = 0
        var evaluating = false
        /// When the last evaluation started (seconds, monotonic).
        var evaluatedAt = -Double.infinity
        var last: MonitoringReport?
    }

    let store: any Store
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    /// Requests answered but not yet in their windows.
    private var waiting: [(Deployment, ServedModel, [InferTensor])] = []
    private var draining = false
    /// Held while taking in waiting requests, so they enter their windows in the order they were answered.
    private let intake = NSLock()

    init(store: any Store) { self.store = store }

    /// Queues a served request's inputs for the deployment's window; their features are extracted off the request's path.
    func observe(_ deployment: Deployment, served: ServedModel, inputs: [InferTensor]) {
        guard served.monitored?.reference != nil else { return }
        let start: Bool = lock.withLock {
            waiting.append((deployment, served, inputs))
            defer { draining = true }
            return !draining
        }
        if start { Task.detached { [self] in takeIn() } }
    }

    /// Moves every waiting request into its window.
    func takeIn() {
        intake.withLock {
            while true {
                let batch: [(Deployment, ServedModel, [InferTensor])] = lock.withLock {
                    defer { waiting = [] }
                    if waiting.isEmpty { draining = false }
                    return waiting
                }
                if batch.isEmpty { return }
                for (deployment, served, inputs) in batch { add(deployment, served: served, inputs: inputs) }
            }
        }
    }

    /// Adds a served request's inputs to the deployment's window.
    private func add(_ deployment: Deployment, served: ServedModel, inputs: [InferTensor]) {
        guard let codec = served.monitored, let reference = codec.reference,
              let (columns, rows) = codec.monitoredFeatures(inputs) else { return }
        let settings = deployment.monitoring
        let due: (Entry, MonitoringSettings)? = lock.withLock {
            var entry = entries[deployment.name]
            // A new deployed version (or new window size) starts a new window against its own reference.
            if entry == nil || entry!.window.capacity != settings.windowRows
                || (entry!.version != served.version && served.version == deployment.version) {
                entry = Entry(deploymentID: deployment.id, version: served.version,
                              window: MonitorWindow(reference: reference, capacity: settings.windowRows))
            }
            guard var current = entry else { return nil }
            current.window.append(columns, rows: rows)
            current.rowsSinceEvaluation += rows
            var due: (Entry, MonitoringSettings)?
            let now = Batcher.now()
            if current.rowsSinceEvaluation >= settings.evaluateEveryRows, !current.evaluating,
               current.window.count >= settings.minimumRows, now - current.evaluatedAt >= settings.evaluateEverySeconds {
                current.rowsSinceEvaluation = 0
                current.evaluating = true
                current.evaluatedAt = now
                due = (current, settings)
            }
            entries[deployment.name] = current
            return due
        }
        if let (entry, settings) = due {
            Task.detached { [self] in await self.evaluate(deployment, entry, settings) }
        }
    }

    /// Counts a request refused for its inputs.
    func reject(_ name: String) {
        takeIn()
        lock.withLock { entries[name]?.window.reject() }
    }

    /// Evaluates a window copy, stores the snapshot and moves the alerts.
    private func evaluate(_ deployment: Deployment, _ entry: Entry, _ settings: MonitoringSettings) async {
        let report = entry.window.report(settings)
        let now = Clock.nowMillis()
        try? await store.write { tx in
            try await MonitoringSnapshot.insert(tx, deploymentID: entry.deploymentID, version: entry.version, report: report, at: now)
            _ = try await Alert.apply(tx, deployment: deployment, report: report, at: now)
        }
        lock.withLock {
            entries[deployment.name]?.evaluating = false
            entries[deployment.name]?.last = report
        }
    }

    /// The deployment's window evaluated now with `settings`, and the version it compares with; nil when this
    /// process has seen no request for it (or its model has no reference).
    func report(_ name: String, settings: MonitoringSettings) -> (report: MonitoringReport, version: Int64)? {
        takeIn()
        guard let entry = lock.withLock({ entries[name] }) else { return nil }
        return (entry.window.report(settings), entry.version)
    }

    /// The last evaluation of each deployment, for `/metrics`.
    var lastReports: [String: MonitoringReport] { lock.withLock { entries.compactMapValues(\.last) } }

    /// Forgets a deleted deployment.
    func forget(_ name: String) { lock.withLock { entries[name] = nil } }
}
