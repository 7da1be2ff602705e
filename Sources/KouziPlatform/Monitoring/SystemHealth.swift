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
    /// Jobs waiting and running (in the caller's projects; all of them for a server administrator).
    public var jobsQueued: Int
    public var jobsRunning: Int
    /// Alerts firing (in the caller's projects; all of them for a server administrator).
    public var alertsFiring: Int
}

extension Platform {
    /// The health of this process and the platform's queues, as `principal` may see it: the process's own figures
    /// (uptime, memory, database) for any signed-in caller; the loaded models, jobs and alerts of the caller's
    /// projects only, of every project for a server administrator.
    public func health(for principal: Principal) async throws -> SystemHealth {
        let now = Date(), clock = Batcher.now()
        let projects: [Int64]? = principal.isServerAdmin ? nil : try await accounts.listProjects(principal).map(\.id)
        let scope = projects.map { ids in ids.isEmpty ? " AND 0 = 1" : " AND project_id IN (\(ids.map(String.init).joined(separator: ", ")))" } ?? ""
        let visible: Set<String>? = projects == nil ? nil : try await store.read { tx in
            Set(try await tx.query("SELECT name FROM deployments WHERE 1 = 1" + scope).map { try $0.text("name") })
        }
        let models = deployments.host.loadedSlots.sorted { $0.key < $1.key }.compactMap { name, slot -> SystemHealth.LoadedModel? in
            guard let ready = slot.ready else { return nil }
            // An A/B arm is loaded as `name#variant`.
            if let visible, !visible.contains(String(name.prefix { $0 != "#" })) { return nil }
            return .init(deployment: name, version: ready.version, estimatedBytes: slot.bytes, queueDepth: ready.queueDepth,
                         idleSeconds: Swift.max(0, clock - slot.lastUsed))
        }
        let counts: (queued: Int, running: Int, firing: Int)? = try? await store.read { tx in
            let jobs = try await tx.query("SELECT state, COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running')" + scope
                                          + " GROUP BY state")
            var byState: [String: Int] = [:]
            for row in jobs { byState[try row.text("state")] = Int(try row.int("n")) }
            let firing = try await tx.first("SELECT COUNT(*) AS n FROM alerts WHERE state = 'firing'" + scope)?.int("n") ?? 0
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
