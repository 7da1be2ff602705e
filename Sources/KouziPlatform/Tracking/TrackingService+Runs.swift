extension TrackingService {
    /// Starts a RUNNING run in an active experiment (editors).
    public func startRun(_ principal: Principal, projectID: Int64, experimentID: Int64, name: String?,
                         startTime: Int64? = nil, tags: [String: String] = [:]) async throws -> Run {
        try await accounts.require(principal, .editor, in: projectID)
        let runName = name ?? tags["mlflow.runName"] ?? ""
        return try await store.write { tx in
            let experiment = try await Self.experiment(tx, projectID: projectID, id: experimentID)
            guard experiment.lifecycleStage == "active" else {
                throw PlatformError(.badRequest, code: "experiment_deleted", "experiment \(experimentID) is deleted; restore it first")
            }
            let id = try await self.createRun(tx, projectID: projectID, experimentID: experimentID, name: runName,
                                              userID: principal.userID, startTime: startTime ?? Clock.nowMillis(),
                                              params: [:], tags: tags)
            return try await Self.run(tx, projectID: projectID, runID: id)
        }
    }

    /// One run with its parameters, tags and latest metrics.
    public func run(_ principal: Principal, projectID: Int64, runID: String) async throws -> Run {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in try await Self.run(tx, projectID: projectID, runID: runID) }
    }

    /// The runs of some experiments of a project, newest first, that match a filter.
    public func runs(_ principal: Principal, projectID: Int64, experimentIDs: [Int64], lifecycle: LifecycleFilter = .active,
                     filter: RunFilter? = nil, limit: Int = 1000, offset: Int = 0) async throws -> [Run] {
        try await accounts.require(principal, .viewer, in: projectID)
        guard !experimentIDs.isEmpty else { return [] }
        return try await store.read { tx in
            for id in experimentIDs { _ = try await Self.experiment(tx, projectID: projectID, id: id) }
            let marks = Array(repeating: "?", count: experimentIDs.count).joined(separator: ", ")
            // Without a filter the page is cut in SQL; a filter needs every run's details first.
            let page = filter == nil ? " LIMIT \(limit) OFFSET \(offset)" : ""
            let rows = try await tx.query("""
                SELECT r.*, e.artifact_location FROM runs r JOIN experiments e ON e.id = r.experiment_id
                WHERE r.project_id = ? AND r.experiment_id IN (\(marks)) AND \(lifecycle.condition("r.lifecycle_stage"))
                ORDER BY r.start_time DESC, r.id\(page)
                """, [projectID.sqlValue] + experimentIDs.map(\.sqlValue))
            let runs = try await Self.details(tx, rows)
            guard let filter else { return runs }
            return Array(runs.filter(filter.matches).dropFirst(offset).prefix(limit))
        }
    }

    /// Changes a run's status (a terminal one sets its end time), end time or name (editors).
    public func updateRun(_ principal: Principal, projectID: Int64, runID: String, status: String?, endTime: Int64?,
                          name: String?) async throws -> Run {
        try await accounts.require(principal, .editor, in: projectID)
        if let status, !RunStatus.all.contains(status) {
            throw PlatformError.invalid("status", "'\(status)' must be one of \(RunStatus.all.sorted())")
        }
        return try await store.write { tx in
            let current = try await Self.run(tx, projectID: projectID, runID: runID)
            let newStatus = status ?? current.status
            let end = endTime ?? (status.map { RunStatus.terminal.contains($0) } == true ? Clock.nowMillis() : current.endTime)
            try await tx.execute("UPDATE runs SET status = ?, end_time = ?, name = ? WHERE id = ?",
                                 newStatus, end, name ?? current.name, runID)
            if let name { try await Self.insert(tx, runID: runID, params: [:], tags: ["mlflow.runName": name]) }
            return try await Self.run(tx, projectID: projectID, runID: runID)
        }
    }

    /// Marks a run deleted or restores it (editors).
    public func setRunDeleted(_ principal: Principal, projectID: Int64, runID: String, deleted: Bool) async throws {
        try await accounts.require(principal, .editor, in: projectID)
        try await store.write { tx in
            _ = try await Self.runRow(tx, runID: runID, projectID: projectID)
            try await tx.execute("UPDATE runs SET lifecycle_stage = ? WHERE id = ?", deleted ? "deleted" : "active", runID)
        }
    }

    /// Logs metrics, parameters and tags in one transaction (editors); parameters cannot change once logged.
    public func log(_ principal: Principal, projectID: Int64, runID: String, metrics: [MetricPoint] = [],
                    params: [String: String] = [:], tags: [String: String] = [:]) async throws {
        try await accounts.require(principal, .editor, in: projectID)
        try Self.validate(metrics: metrics)
        try Self.validate(params: params, tags: tags)
        try await store.write { tx in
            _ = try await Self.activeRun(tx, runID: runID, projectID: projectID)
            try await Self.insert(tx, runID: runID, params: params, tags: tags)
            try await Self.insert(tx, runID: runID, metrics: metrics)
        }
    }

    /// Removes a run's tag (editors).
    public func deleteTag(_ principal: Principal, projectID: Int64, runID: String, key: String) async throws {
        try await accounts.require(principal, .editor, in: projectID)
        try await store.write { tx in
            _ = try await Self.runRow(tx, runID: runID, projectID: projectID)
            let removed = try await tx.query("DELETE FROM run_tags WHERE run_id = ? AND key = ? RETURNING key", runID, key)
            guard !removed.isEmpty else { throw PlatformError.notFound("tag", "'\(key)' of run \(runID)") }
        }
    }

    /// Every point of one metric of a run, by step then timestamp.
    public func metricHistory(_ principal: Principal, projectID: Int64, runID: String, key: String) async throws -> [MetricPoint] {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in
            _ = try await Self.runRow(tx, runID: runID, projectID: projectID)
            return try await Self.history(tx, runID: runID, key: key)
        }
    }

    // MARK: Loading

    static func run(_ tx: any SQLExecutor, projectID: Int64, runID: String) async throws -> Run {
        let rows = try await tx.query("""
            SELECT r.*, e.artifact_location FROM runs r JOIN experiments e ON e.id = r.experiment_id
            WHERE r.id = ? AND r.project_id = ?
            """, runID, projectID)
        guard let run = try await details(tx, rows).first else { throw PlatformError.notFound("run", runID) }
        return run
    }

    /// Runs with their parameters, tags and latest metrics, read with one query per table.
    static func details(_ tx: any SQLExecutor, _ rows: [SQLRow]) async throws -> [Run] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.text("id") }
        var params: [String: [String: String]] = [:], tags: [String: [String: String]] = [:]
        var metrics: [String: [MetricPoint]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let binds = chunk.map(\.sqlValue)
            for row in try await tx.query("SELECT * FROM run_params WHERE run_id IN (\(marks))", binds) {
                params[try row.text("run_id"), default: [:]][try row.text("key")] = try row.text("value")
            }
            for row in try await tx.query("SELECT * FROM run_tags WHERE run_id IN (\(marks))", binds) {
                tags[try row.text("run_id"), default: [:]][try row.text("key")] = try row.text("value")
            }
            for row in try await tx.query("""
                SELECT * FROM run_metrics m WHERE m.run_id IN (\(marks)) AND NOT EXISTS (
                    SELECT 1 FROM run_metrics n WHERE n.run_id = m.run_id AND n.key = m.key AND (n.step > m.step
                        OR (n.step = m.step AND (n.timestamp > m.timestamp OR (n.timestamp = m.timestamp AND n.id > m.id)))))
                """, binds) {
                metrics[try row.text("run_id"), default: []].append(try MetricPoint(row: row))
            }
        }
        return try rows.map { row in
            let id = try row.text("id")
            return try Run(row: row, artifactLocation: try row.text("artifact_location"), params: params[id] ?? [:],
                           tags: tags[id] ?? [:], latestMetrics: metrics[id] ?? [])
        }
    }
}
