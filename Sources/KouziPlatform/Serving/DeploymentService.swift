import Foundation
import KouziInference
import KouziMonitoring
import KouziTasks
import KouziTraining
import Logging

/// A model version served under an endpoint name, as stored (desired state) and as loaded in this process.
public struct Deployment: Codable, Sendable, Equatable {
    public var id: Int64
    public var projectID: Int64
    /// The endpoint name; unique across projects (Open Inference Protocol paths name models without a project).
    public var name: String
    public var modelID: Int64
    /// The version the deployment serves.
    public var version: Int64
    /// The alias it follows, when deployed by alias: when the alias moves, the deployment moves with it.
    public var alias: String?
    public var createdAt: Int64
    public var updatedAt: Int64?
    /// The last failed load, while the previous version keeps serving.
    public var error: String?
    /// `loading`, `ready` or `failed` in this process.
    public var state: String?
    /// The version this process answers with now (the previous one while a new one loads).
    public var servingVersion: Int64?
    /// The A/B split, when traffic is shared between versions.
    public var variants: [Variant]?
    /// The data-quality and drift monitoring's window and thresholds (defaults when never set).
    public var monitoring: MonitoringSettings

    init(row: SQLRow) throws {
        id = try row.int("id")
        projectID = try row.int("project_id")
        name = try row.text("name")
        modelID = try row.int("model_id")
        version = try row.int("version_number")
        alias = try row.optionalText("alias")
        createdAt = try row.int("created_at")
        updatedAt = try row.optionalInt("updated_at")
        error = try row.optionalText("error")
        monitoring = try row.optionalText("monitoring").map { try JSONDecoder().decode(MonitoringSettings.self, from: Data($0.utf8)) }
            ?? MonitoringSettings()
    }
}

/// Deployments: which model version each endpoint serves, and the models loaded in this process.
public final class DeploymentService: Sendable {
    let store: any Store
    let accounts: AccountService
    let registry: ModelRegistry
    let host: ModelHost
    /// Request counts, latencies (queue and compute apart) and batch sizes, for `/metrics`.
    public let metrics = MetricsRegistry()
    /// Rows by name, for the inference path (another process may move a deployment; a second is soon enough).
    let rowCache = TTLCache<Deployment?>(ttlMillis: 1_000)
    /// Predictions that may receive feedback.
    let recorder: PredictionRecorder
    /// Data quality and drift of live inputs.
    let monitor: DeploymentMonitor
    /// Each deployment's traffic per minute (requests, failures, latency percentiles, batch sizes).
    public let traffic: TrafficRecorder
    /// Rows one request may carry.
    let maxRequestRows: Int
    /// Gives the memory of large requests back to the system.
    let memoryReturn = MemoryReturn()

    init(store: any Store, accounts: AccountService, registry: ModelRegistry, codecs: CodecRegistry, directory: URL, batching: BatchingOptions,
         memoryBudget: Int64? = nil) {
        self.store = store
        self.accounts = accounts
        self.registry = registry
        maxRequestRows = batching.maxRequestRows
        let traffic = TrafficRecorder(store: store)
        self.traffic = traffic
        let metrics = self.metrics
        host = ModelHost(registry: registry, codecs: codecs, directory: directory, batching: batching, memoryBudget: memoryBudget) { name, rows in
            metrics.observe("kouzi_inference_batch_rows", [name], Double(rows))
            traffic.batch(name, rows: rows)
        }
        recorder = PredictionRecorder(store: store)
        monitor = DeploymentMonitor(store: store)
        let latency = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        metrics.counter("kouzi_recommendations_cold_start_total",
                        help: "Recommendation requests answered from popularity (unknown user or history).", labels: ["model"])
        metrics.counter("kouzi_explanations_total", help: "Explanation requests by deployment, method and outcome.",
                        labels: ["model", "method", "status"])
        metrics.counter("kouzi_inference_requests_total",
                        help: "Inference requests by deployment, served version, A/B variant and outcome.",
                        labels: ["model", "version", "variant", "status"])
        metrics.histogram("kouzi_inference_request_seconds", help: "Inference request time, decoding to encoding.",
                          labels: ["model", "version", "variant"], buckets: latency)
        metrics.histogram("kouzi_inference_queue_seconds", help: "Time a request waited for its batch.",
                          labels: ["model", "version", "variant"], buckets: latency)
        metrics.histogram("kouzi_inference_compute_seconds", help: "Forward-pass time of the batch a request ran in.",
                          labels: ["model", "version", "variant"], buckets: latency)
        metrics.histogram("kouzi_inference_batch_rows", help: "Rows per forward pass (dynamic batching).",
                          labels: ["model"], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
    }

    /// Answers an Open Inference Protocol request for the deployment `name` (version: nil or a served one). With
    /// an A/B split the request goes to a variant chosen by `routingKey` (the same key, the same variant) or at
    /// random, shadows get a copy, and the answer carries a request id for feedback. Returns the variant chosen.
    public func infer(_ principal: Principal, name: String, version: Int64?, _ request: InferRequest,
                      routingKey: String? = nil) async throws -> (response: InferResponse, variant: String?) {
        let started = Batcher.now()
        var labels = [name, version.map(String.init) ?? "", ""]
        let rows = request.inputs.map { $0.shape.first ?? 0 }.max() ?? 0
        // Decoded values, encoded features and activations of a large request outlive it in the allocator's free lists.
        defer { if rows >= MemoryReturn.largeRequestRows { memoryReturn.soon() } }
        do {
            guard rows <= maxRequestRows else {
                throw PlatformError(.tooLarge, code: "too_many_rows",
                                    "the request carries \(rows) rows; one request takes at most \(maxRequestRows) "
                                        + "(send several, or score a dataset version with a batch prediction job)")
            }
            let deployment = try await resolve(principal, name: name)
            let (served, variant) = try await answering(deployment, version: version, routingKey: routingKey)
            labels[1] = String(served.version)
            labels[2] = variant?.name ?? ""
            let (outputs, timing) = try await served.infer(request)
            count(labels, since: started, timing)
            if let network = served as? ServedModel { monitor.observe(deployment, served: network, inputs: request.inputs) }
            var id = request.id
            if deployment.variants != nil || id != nil {
                let requestID = id ?? UUID().uuidString.lowercased()
                id = requestID
                record(deployment, variant: variant?.name ?? "", requestID: requestID, outputs)
                for shadow in deployment.variants?.filter(\.shadow) ?? [] {
                    Task.detached { [self] in
                        await self.shadow(deployment, shadow, request, requestID: requestID)
                    }
                }
            }
            let response = InferResponse(modelName: deployment.name, modelVersion: String(served.version), id: id,
                                         parameters: variant.map { ["variant": .string($0.name)] }, outputs: outputs)
            return (response, variant?.name)
        } catch {
            if countFailure(labels, error)?.code == "invalid_input" { monitor.reject(name) }
            throw error
        }
    }

    /// The loaded version that answers a request for `deployment`: the asked version (which must be served), else with
    /// an A/B split the variant `routingKey` picks (the same key, the same variant) or a random one by weight.
    func answering(_ deployment: Deployment, version: Int64?, routingKey: String?) async throws -> (any ServedVersion, Variant?) {
        var variant: Variant?
        if let variants = deployment.variants {
            if let version {
                variant = variants.first { !$0.shadow && $0.version == version }
                if variant == nil {
                    throw PlatformError(.notFound, code: "version_not_found",
                                        "no variant of '\(deployment.name)' serves version \(version) (\(variants.map { "\($0.name): \($0.version)" }.joined(separator: ", ")))")
                }
            } else {
                variant = SplitMath.choose(variants, key: routingKey)
            }
        }
        guard let variant else { return (try await model(for: deployment, version: version), nil) }
        return (try await host.serving(Self.arm(deployment, variant)), variant)
    }

    /// Runs a shadow variant on a copy of a request, recording its answer and metrics only.
    private func shadow(_ deployment: Deployment, _ variant: Variant, _ request: InferRequest, requestID: String) async {
        let labels = [deployment.name, String(variant.version), variant.name]
        do {
            let served = try await host.serving(Self.arm(deployment, variant))
            let started = Batcher.now()
            let (outputs, timing) = try await served.infer(request)
            count(labels, since: started, timing)
            record(deployment, variant: variant.name, requestID: requestID, outputs)
        } catch {
            countFailure(labels, error)
        }
    }

    /// Counts a failed request under its error kind; returns the error as the platform maps it.
    @discardableResult
    func countFailure(_ labels: [String], _ error: any Error) -> PlatformError? {
        let wrapped = PlatformError.wrap(error) as? PlatformError
        metrics.increment("kouzi_inference_requests_total", labels + [wrapped?.kind.rawValue ?? "error"])
        traffic.failure(labels[0])
        return wrapped
    }

    /// Counts a successful request with its latency split into queue and compute time.
    func count(_ labels: [String], since started: Double, _ timing: BatchTiming) {
        metrics.increment("kouzi_inference_requests_total", labels + ["success"])
        let latency = Batcher.now() - started
        traffic.success(labels[0], latency: latency, queued: timing.queued)
        metrics.observe("kouzi_inference_request_seconds", labels, latency)
        metrics.observe("kouzi_inference_queue_seconds", labels, timing.queued)
        metrics.observe("kouzi_inference_compute_seconds", labels, timing.compute)
    }

    /// Keeps the predicted labels (or values) of an answer for feedback.
    private func record(_ deployment: Deployment, variant: String, requestID: String, _ outputs: [InferTensor]) {
        let answer = outputs.first { $0.name == "label" } ?? outputs.first { $0.name == "predictions" }
        let predicted = (answer?.data.arrayValue ?? []).map { value -> String in
            if let text = value.stringValue { return text }
            if let number = value.doubleValue { return String(number) }
            return value.description
        }
        guard let text = try? jsonText(predicted) else { return }
        recorder.record(.init(deploymentID: deployment.id, requestID: requestID, variant: variant, predicted: text, at: Clock.nowMillis()))
    }

    /// `/metrics`: the inference metrics, the models loaded, queue depths and the process's memory and CPU time.
    public func metricsText() -> String {
        let loaded = host.loaded
        var gauges: [(name: String, help: String, labels: [(String, String)], value: Double)] = [
            ("kouzi_models_loaded", "Model versions loaded in this process.", [], Double(loaded.count)),
        ]
        for (name, model) in loaded.sorted(by: { $0.key < $1.key }) {
            gauges.append(("kouzi_inference_queue_depth", "Rows waiting for a forward pass.", [("model", name)], Double(model.queueDepth)))
        }
        // Samples of one family stay together, as the exposition format asks.
        let reports = monitor.lastReports.sorted { $0.key < $1.key }
        for (name, report) in reports {
            gauges.append(("kouzi_monitoring_drifted_share", "Share of drifted input features at the last evaluation.",
                           [("model", name)], report.driftedShare))
        }
        for (name, report) in reports {
            gauges.append(("kouzi_monitoring_quality_problem_share", "Share of recent rows (or refused requests) with a data-quality problem.",
                           [("model", name)], report.qualityShare))
        }
        for (name, report) in reports {
            for (kind, firing) in [("drift", report.drift), ("data_quality", report.qualityProblem)] {
                gauges.append(("kouzi_alert_firing", "Whether the alert fires after the last evaluation (1) or not (0).",
                               [("model", name), ("kind", kind)], firing ? 1 : 0))
            }
        }
        gauges += [
            ("process_resident_memory_bytes", "Resident memory of this process.", [], ProcessStats.residentBytes),
            ("process_cpu_seconds_total", "User and system CPU time of this process.", [], ProcessStats.cpuSeconds),
            ("process_start_time_seconds", "Start of this process, seconds since 1970.", [], ProcessStats.started.timeIntervalSince1970),
        ]
        return metrics.render(gauges: gauges)
    }

    /// Deploys a model version (a number, or an alias the deployment then follows) under `name` (editors).
    public func create(_ principal: Principal, projectID: Int64, name: String, modelID: Int64, version: String) async throws -> Deployment {
        try await accounts.require(principal, .editor, in: projectID)
        try validateName(name)
        let deployment = try await store.write { tx in
            let model = try await ModelRegistry.model(tx, projectID: projectID, modelID: modelID)
            let number = try await Self.servable(tx, model: model, reference: version)
            if try await tx.first("SELECT id FROM deployments WHERE name = ?", name) != nil {
                throw PlatformError(.conflict, code: "deployment_exists", "a deployment named '\(name)' exists (names are unique across projects)")
            }
            let now = Clock.nowMillis()
            let row = try await tx.first("""
                INSERT INTO deployments (project_id, name, model_id, version_number, status, alias, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?) RETURNING *
                """, projectID, name, modelID, number, Int64(version) == nil ? version : nil, principal.userID, now, now)!
            return try Deployment(row: row)
        }
        host.load(deployment)
        return describe(deployment)
    }

    /// The version a reference names, which must hold a Kouzi package.
    static func servable(_ tx: any SQLExecutor, model: RegisteredModel, reference: String) async throws -> Int64 {
        let number = try ModelRegistry.resolve(reference, in: model)
        guard let row = try await tx.first("SELECT package_hash FROM model_versions WHERE model_id = ? AND number = ?", model.id, number) else {
            throw PlatformError.invalid("version", "model \(model.id) has no version \(reference)")
        }
        guard try !row.text("package_hash").isEmpty else {
            throw PlatformError.invalid("version", "version \(number) of model \(model.id) has no Kouzi package to serve")
        }
        return number
    }

    /// Deployments of a project.
    public func list(_ principal: Principal, projectID: Int64) async throws -> [Deployment] {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in
            var all: [Deployment] = []
            for row in try await tx.query("SELECT * FROM deployments WHERE project_id = ? ORDER BY id", projectID) {
                var deployment = try Deployment(row: row)
                deployment.variants = try await Self.variants(tx, deploymentID: deployment.id)
                all.append(deployment)
            }
            return all
        }.map(describe)
    }

    /// One deployment by name.
    public func get(_ principal: Principal, projectID: Int64, name: String) async throws -> Deployment {
        try await accounts.require(principal, .viewer, in: projectID)
        return describe(try await row(projectID: projectID, name: name))
    }

    func row(projectID: Int64?, name: String) async throws -> Deployment {
        let found: Deployment? = try await store.read { tx in
            guard let row = try await tx.first("SELECT * FROM deployments WHERE name = ?", name) else { return nil }
            var deployment = try Deployment(row: row)
            deployment.variants = try await Self.variants(tx, deploymentID: deployment.id)
            return deployment
        }
        guard let deployment = found, projectID == nil || deployment.projectID == projectID else {
            throw PlatformError.notFound("deployment", name)
        }
        return deployment
    }

    /// Moves a deployment to another version or alias (editors). The current version serves until the new one is
    /// loaded and warm; a failed load keeps it serving and records the error.
    public func update(_ principal: Principal, projectID: Int64, name: String, version: String) async throws -> Deployment {
        try await accounts.require(principal, .editor, in: projectID)
        let deployment = try await store.write { tx in
            guard let row = try await tx.first("SELECT * FROM deployments WHERE name = ? AND project_id = ?", name, projectID) else {
                throw PlatformError.notFound("deployment", name)
            }
            let current = try Deployment(row: row)
            let model = try await ModelRegistry.model(tx, projectID: projectID, modelID: current.modelID)
            let number = try await Self.servable(tx, model: model, reference: version)
            let updated = try await tx.first("""
                UPDATE deployments SET version_number = ?, alias = ?, error = NULL, updated_at = ? WHERE id = ? RETURNING *
                """, number, Int64(version) == nil ? version : nil, Clock.nowMillis(), current.id)!
            return try Deployment(row: updated)
        }
        rowCache.put(name, deployment)
        host.load(deployment)
        return describe(deployment)
    }

    /// Removes a deployment and unloads its model (editors).
    public func delete(_ principal: Principal, projectID: Int64, name: String) async throws {
        try await accounts.require(principal, .editor, in: projectID)
        let deleted = try await store.write { tx in
            try await tx.query("DELETE FROM deployments WHERE name = ? AND project_id = ? RETURNING id", name, projectID)
        }
        guard !deleted.isEmpty else { throw PlatformError.notFound("deployment", name) }
        rowCache.put(name, nil as Deployment?)
        host.unload(name)
        monitor.forget(name)
        try? await traffic.forget(name)
        let now = Clock.nowMillis()
        try await store.write { tx in
            try await tx.execute("UPDATE alerts SET state = 'resolved', resolved_at = ?, updated_at = ? WHERE deployment_name = ? AND state = 'firing'",
                                 now, now, name)
        }
    }

    // MARK: Inference

    /// The deployment `name` for a caller who may read its project (viewers), following alias moves.
    public func resolve(_ principal: Principal, name: String) async throws -> Deployment {
        var deployment: Deployment
        if let cached = rowCache.get(name), let value = cached { deployment = value } else {
            deployment = try await row(projectID: nil, name: name)
            if let alias = deployment.alias {
                // The alias may have moved since the deployment was made: follow it.
                let modelID = deployment.modelID
                let moved = try await store.read { tx in
                    try await tx.first("SELECT version_number FROM model_aliases WHERE model_id = ? AND alias = ?",
                                       modelID, alias)?.int("version_number")
                }
                if let moved, moved != deployment.version { deployment.version = moved }
            }
            rowCache.put(name, deployment)
        }
        do { try await accounts.require(principal, .viewer, in: deployment.projectID) } catch {
            throw PlatformError.notFound("model", name)
        }
        return deployment
    }

    /// The loaded model answering for a deployment now: the deployed version once loaded, the previous one while
    /// it loads; the first request of a fresh process waits for the load.
    public func model(for deployment: Deployment, version: Int64? = nil) async throws -> any ServedVersion {
        if let version, version != deployment.version {
            throw PlatformError(.notFound, code: "version_not_found",
                                "model '\(deployment.name)' serves version \(deployment.version), not \(version)")
        }
        return try await host.serving(deployment)
    }

    /// Whether this process answers for the deployment with its current version.
    public func isReady(_ deployment: Deployment) -> Bool { host.state(deployment.name).ready?.version == deployment.version }

    func describe(_ deployment: Deployment) -> Deployment {
        var d = deployment
        let state = host.state(d.name)
        d.servingVersion = state.ready?.version
        d.state = state.ready?.version == d.version ? "ready" : state.loading != nil ? "loading" : state.error != nil ? "failed"
            : state.evicted ? "unloaded" : "idle"
        if let error = state.error, d.error == nil { d.error = error }
        return d
    }
}
