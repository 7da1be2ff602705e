import Foundation
import KouziInference

/// How this server process and the platform are doing: uptime, memory, loaded models, queues, alerts.
public struct SystemHealth: Codable, Sendable {
    /// A model loaded for serving in this process.
    public struct LoadedModel: Codable, Sendable {
        /// The deployment (an A/B arm as `name#variant`).
        public var deployment: String
        public var version: Int64
        /// Weights plus a full batch of activations.
        public var estimatedBytes: Int64
        /// Rows waiting for a forward pass.
        public var queueDepth: Int
        /// Seconds since a request last asked for it.
        public var idleSeconds: Double
    }

    /// `ok`, or `degraded` when the database does not answer or an alert fires.
    public var status: String
    public var startedAt: Int64
    public var uptimeSeconds: Double
    public var database: Bool
    public var residentMemoryBytes: Double
    public var cpuSeconds: Double
    public var models: [LoadedModel]
    public var modelMemoryBytes: Int64
    public var modelMemoryBudgetBytes: Int64?
    public var inferenceQueueDepth: Int
    /// Jobs of all projects waiting and running.
    public var jobsQueued: Int
    public var jobsRunning: Int
    /// Alerts firing in all projects.
    public var alertsFiring: Int
}

extension Platform {
    /// The health of this process and the platform's queues (any signed-in caller).
    public func health() async -> SystemHealth {
        let now = Date(), clock = Batcher.now()
        let models = deployments.host.loadedSlots.sorted { $0.key < $1.key }.compactMap { name, slot -> SystemHealth.LoadedModel? in
            guard let ready = slot.ready else { return nil }
            return .init(deployment: name, version: ready.version, estimatedBytes: slot.bytes, queueDepth: ready.queueDepth,
                         idleSeconds: Swift.max(0, clock - slot.lastUsed))
        }
        let counts: (queued: Int, running: Int, firing: Int)? = try? await store.read { tx in
            let jobs = try await tx.query("SELECT state, COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running') GROUP BY state")
            var byState: [String: Int] = [:]
            for row in jobs { byState[try row.text("state")] = Int(try row.int("n")) }
            let firing = try await tx.first("SELECT COUNT(*) AS n FROM alerts WHERE state = 'firing'")?.int("n") ?? 0
            return (byState["queued"] ?? 0, byState["running"] ?? 0, Int(firing))
        }
        let database = await store.ping()
        return SystemHealth(
            status: database && (counts?.firing ?? 0) == 0 ? "ok" : "degraded",
            startedAt: Int64(ProcessStats.started.timeIntervalSince1970 * 1000),
            uptimeSeconds: now.timeIntervalSince(ProcessStats.started), database: database,
            residentMemoryBytes: ProcessStats.residentBytes, cpuSeconds: ProcessStats.cpuSeconds, models: models,
            modelMemoryBytes: models.reduce(0) { $0 + $1.estimatedBytes }, modelMemoryBudgetBytes: configuration.modelMemoryBudget,
            inferenceQueueDepth: models.reduce(0) { $0 + $1.queueDepth }, jobsQueued: counts?.queued ?? 0,
            jobsRunning: counts?.running ?? 0, alertsFiring: counts?.firing ?? 0)
    }
}
