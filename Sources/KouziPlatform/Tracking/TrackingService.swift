import Foundation

/// Experiment tracking: experiments of a project, their runs, and each run's parameters (immutable), tags,
/// metric histories and artifacts. MLflow's tracking model, stored in the platform's database and artifact store.
///
/// The methods without a principal are for the platform's own services (a training job logs through them inside
/// its own checks); the public methods check the caller's role: viewers read, editors write, and ids of other
/// projects answer "not found".
public final class TrackingService: Sendable {
    let store: any Store
    let artifacts: ArtifactStore
    let accounts: AccountService

    init(store: any Store, artifacts: ArtifactStore, accounts: AccountService) {
        self.store = store
        self.artifacts = artifacts
        self.accounts = accounts
    }

    // MARK: Calls of the platform's services

    /// Finds or creates the (active) experiment `name` of a project, inside the caller's transaction.
    func experimentID(_ tx: any SQLExecutor, projectID: Int64, name: String) async throws -> Int64 {
        if let row = try await tx.first("SELECT id, lifecycle_stage FROM experiments WHERE project_id = ? AND name = ?",
                                        projectID, name) {
            guard try row.text("lifecycle_stage") == "active" else {
                throw PlatformError(.conflict, code: "experiment_deleted",
                                    "experiment '\(name)' is deleted; restore it or choose another name")
            }
            return try row.int("id")
        }
        // Two jobs may start the experiment at once: the second one finds the first one's row.
        if let created = try await Self.insertExperiment(tx, projectID: projectID, name: name, tags: [:], ifAbsent: true) {
            return created.id
        }
        return try await tx.first("SELECT id FROM experiments WHERE project_id = ? AND name = ?", projectID, name)!.int("id")
    }

    /// Creates a RUNNING run inside the caller's transaction; returns its 32-hex id. An empty name becomes the
    /// id's first 8 characters; the name is also the tag `mlflow.runName`, where MLflow clients look for it.
    func createRun(_ tx: any SQLExecutor, projectID: Int64, experimentID: Int64, name: String, userID: Int64,
                   startTime: Int64, params: [String: String], tags: [String: String]) async throws -> String {
        try Self.validate(params: params, tags: tags)
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let name = name.isEmpty ? String(id.prefix(8)) : name
        try await tx.execute("""
            INSERT INTO runs (id, experiment_id, project_id, name, user_id, status, start_time, lifecycle_stage)
            VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, 'active')
            """, id, experimentID, projectID, name, userID, startTime)
        try await Self.insert(tx, runID: id, params: params, tags: tags.merging(["mlflow.runName": name]) { given, _ in given })
        return id
    }

    /// Appends metric points to a run.
    func logMetrics(runID: String, _ points: [MetricPoint]) async throws {
        try Self.validate(metrics: points)
        try await store.write { tx in
            _ = try await Self.activeRun(tx, runID: runID)
            try await Self.insert(tx, runID: runID, metrics: points)
        }
    }

    /// Removes the points with step > afterStep (a job resumed from a checkpoint re-logs those epochs).
    func deleteMetrics(runID: String, afterStep: Int64) async throws {
        try await store.write { tx in
            _ = try await Self.runRow(tx, runID: runID)
            try await tx.execute("DELETE FROM run_metrics WHERE run_id = ? AND step > ?", runID, afterStep)
        }
    }

    /// Sets (creates or overwrites) tags of a run.
    func setTags(runID: String, _ tags: [String: String]) async throws {
        try Self.validate(params: [:], tags: tags)
        try await store.write { tx in
            _ = try await Self.activeRun(tx, runID: runID)
            try await Self.insert(tx, runID: runID, params: [:], tags: tags)
        }
    }

    /// Ends a run. status: FINISHED, FAILED or KILLED.
    func finishRun(runID: String, status: String, endTime: Int64) async throws {
        guard RunStatus.terminal.contains(status) else {
            throw PlatformError.invalid("status", "'\(status)' must be one of \(RunStatus.terminal.sorted())")
        }
        try await store.write { tx in
            _ = try await Self.runRow(tx, runID: runID)
            try await Self.end(tx, runID: runID, status: status, endTime: endTime)
        }
    }

    /// Sets a run's terminal status and end time within a transaction (a missing run is left alone).
    static func end(_ tx: any SQLExecutor, runID: String, status: String, endTime: Int64) async throws {
        try await tx.execute("UPDATE runs SET status = ?, end_time = ? WHERE id = ?", status, endTime, runID)
    }

    /// A metric's points, by step then timestamp.
    func metricHistory(runID: String, key: String) async throws -> [MetricPoint] {
        try await store.read { tx in
            _ = try await Self.runRow(tx, runID: runID)
            return try await Self.history(tx, runID: runID, key: key)
        }
    }

    /// Stores bytes as the run's artifact at `path` (replacing what was there).
    func putArtifact(runID: String, path: String, data: Data) async throws {
        let path = try Self.artifactPath(path)
        let ref: ArtifactRef
        do { ref = try artifacts.put(data) } catch { throw PlatformError.wrap(error) }
        try await store.write { tx in
            _ = try await Self.activeRun(tx, runID: runID)
            try await Self.record(tx, runID: runID, path: path, ref: ref)
        }
    }

    // MARK: Shared statements

    /// Inserts an experiment; with `ifAbsent`, a name already taken returns nil instead of failing.
    static func insertExperiment(_ tx: any SQLExecutor, projectID: Int64, name: String, tags: [String: String],
                                 ifAbsent: Bool = false) async throws -> Experiment? {
        try validate(experimentName: name)
        let now = Clock.nowMillis()
        let row = try await tx.first("""
            INSERT INTO experiments (project_id, name, lifecycle_stage, artifact_location, tags, created_at, updated_at)
            VALUES (?, ?, 'active', '', ?, ?, ?) \(ifAbsent ? "ON CONFLICT (project_id, name) DO NOTHING " : "")RETURNING id
            """, projectID, name, try jsonText(tags), now, now)
        guard let row else { return nil }
        let id = try row.int("id")
        let updated = try await tx.first("UPDATE experiments SET artifact_location = ? WHERE id = ? RETURNING *",
                                         "mlflow-artifacts:/\(id)", id)!
        return try Experiment(row: updated)
    }

    /// The run's row; "not found" when it does not exist (or, given a project, belongs to another one).
    static func runRow(_ tx: any SQLExecutor, runID: String, projectID: Int64? = nil) async throws -> SQLRow {
        let row = try await tx.first("SELECT * FROM runs WHERE id = ?", runID)
        guard let row, try projectID == nil || row.int("project_id") == projectID else {
            throw PlatformError.notFound("run", runID)
        }
        return row
    }

    /// The run's row when it is not deleted (only active runs take new data, as in MLflow).
    static func activeRun(_ tx: any SQLExecutor, runID: String, projectID: Int64? = nil) async throws -> SQLRow {
        let row = try await runRow(tx, runID: runID, projectID: projectID)
        guard try row.text("lifecycle_stage") == "active" else {
            throw PlatformError(.badRequest, code: "run_deleted", "run \(runID) is deleted; restore it before logging to it")
        }
        return row
    }

    static func insert(_ tx: any SQLExecutor, runID: String, metrics: [MetricPoint]) async throws {
        for point in metrics {
            try await tx.execute("INSERT INTO run_metrics (run_id, key, value, timestamp, step) VALUES (?, ?, ?, ?, ?)",
                                 runID, point.key, point.value, point.timestamp, point.step)
        }
    }

    /// Inserts parameters (a key already logged with another value is refused: parameters are immutable) and
    /// upserts tags.
    static func insert(_ tx: any SQLExecutor, runID: String, params: [String: String], tags: [String: String]) async throws {
        for (key, value) in params.sorted(by: { $0.key < $1.key }) {
            if let existing = try await tx.first("SELECT value FROM run_params WHERE run_id = ? AND key = ?", runID, key) {
                let old = try existing.text("value")
                guard old == value else {
                    throw PlatformError(.badRequest, code: "param_immutable",
                                        "parameter '\(key)' of run \(runID) is already '\(old)'; parameters cannot change (new value '\(value)')")
                }
                continue
            }
            try await tx.execute("INSERT INTO run_params (run_id, key, value) VALUES (?, ?, ?)", runID, key, value)
        }
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
            try await tx.execute("""
                INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)
                ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value
                """, runID, key, value)
        }
    }

    static func history(_ tx: any SQLExecutor, runID: String, key: String) async throws -> [MetricPoint] {
        try await tx.query("SELECT * FROM run_metrics WHERE run_id = ? AND key = ? ORDER BY step, timestamp, id",
                           runID, key).map(MetricPoint.init(row:))
    }

    /// Records a stored file as a run's artifact (replacing the file at that path).
    static func record(_ tx: any SQLExecutor, runID: String, path: String, ref: ArtifactRef) async throws {
        try await tx.execute("""
            INSERT INTO run_artifacts (run_id, path, sha256, size, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (run_id, path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, created_at = excluded.created_at
            """, runID, path, ref.sha256, ref.size, Clock.nowMillis())
    }
}
