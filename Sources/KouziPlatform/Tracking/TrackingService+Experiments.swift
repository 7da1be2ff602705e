extension TrackingService {
    /// The id of a project named by its id or its name, for callers that belong to it (others: "not found").
    public func projectID(_ principal: Principal, reference: String) async throws -> Int64 {
        let id: Int64
        if let number = Int64(reference), number > 0 {
            id = number
        } else {
            let row = try await store.read { tx in try await tx.first("SELECT id FROM projects WHERE name = ?", reference) }
            guard let row else { throw PlatformError.notFound("project", reference) }
            id = try row.int("id")
        }
        try await accounts.require(principal, .viewer, in: id)
        return id
    }

    /// Creates an experiment (editors); its name is unique in the project, deleted experiments included.
    public func createExperiment(_ principal: Principal, projectID: Int64, name: String,
                                 tags: [String: String] = [:]) async throws -> Experiment {
        try await accounts.require(principal, .editor, in: projectID)
        try Self.validate(params: [:], tags: tags)
        return try await store.write { tx in
            try await Self.requireFreeName(tx, projectID: projectID, name: name)
            return try await Self.insertExperiment(tx, projectID: projectID, name: name, tags: tags)!
        }
    }

    /// The experiments of a project, oldest first.
    public func experiments(_ principal: Principal, projectID: Int64, lifecycle: LifecycleFilter = .active,
                            limit: Int = 1000, offset: Int = 0) async throws -> [Experiment] {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in
            try await tx.query("""
                SELECT * FROM experiments WHERE project_id = ? AND \(lifecycle.condition("lifecycle_stage"))
                ORDER BY id LIMIT ? OFFSET ?
                """, projectID, limit, offset).map(Experiment.init(row:))
        }
    }

    /// One experiment, by id.
    public func experiment(_ principal: Principal, projectID: Int64, id: Int64) async throws -> Experiment {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in try await Self.experiment(tx, projectID: projectID, id: id) }
    }

    /// One experiment, by name.
    public func experiment(_ principal: Principal, projectID: Int64, named name: String) async throws -> Experiment {
        try await accounts.require(principal, .viewer, in: projectID)
        let row = try await store.read { tx in
            try await tx.first("SELECT * FROM experiments WHERE project_id = ? AND name = ?", projectID, name)
        }
        guard let row else { throw PlatformError.notFound("experiment", "'\(name)'") }
        return try Experiment(row: row)
    }

    /// Renames an experiment (editors).
    public func renameExperiment(_ principal: Principal, projectID: Int64, id: Int64, name: String) async throws -> Experiment {
        try await accounts.require(principal, .editor, in: projectID)
        return try await store.write { tx in
            let current = try await Self.experiment(tx, projectID: projectID, id: id)
            if current.name == name { return current }
            try await Self.requireFreeName(tx, projectID: projectID, name: name)
            try await tx.execute("UPDATE experiments SET name = ?, updated_at = ? WHERE id = ?", name, Clock.nowMillis(), id)
            return try await Self.experiment(tx, projectID: projectID, id: id)
        }
    }

    /// Marks an experiment and its runs deleted, or restores them (editors).
    public func setExperimentDeleted(_ principal: Principal, projectID: Int64, id: Int64, deleted: Bool) async throws {
        try await accounts.require(principal, .editor, in: projectID)
        let stage = deleted ? "deleted" : "active"
        try await store.write { tx in
            _ = try await Self.experiment(tx, projectID: projectID, id: id)
            try await tx.execute("UPDATE experiments SET lifecycle_stage = ?, updated_at = ? WHERE id = ?", stage, Clock.nowMillis(), id)
            try await tx.execute("UPDATE runs SET lifecycle_stage = ? WHERE experiment_id = ?", stage, id)
        }
    }

    /// Sets or (value nil) removes an experiment tag (editors).
    public func setExperimentTag(_ principal: Principal, projectID: Int64, id: Int64, key: String, value: String?) async throws {
        try await accounts.require(principal, .editor, in: projectID)
        try Self.validate(params: [:], tags: [key: value ?? ""])
        try await store.write { tx in
            var tags = try await Self.experiment(tx, projectID: projectID, id: id).tags
            if let value { tags[key] = value } else {
                guard tags.removeValue(forKey: key) != nil else { throw PlatformError.notFound("experiment tag", "'\(key)'") }
            }
            try await tx.execute("UPDATE experiments SET tags = ?, updated_at = ? WHERE id = ?", try jsonText(tags), Clock.nowMillis(), id)
        }
    }

    static func experiment(_ tx: any SQLExecutor, projectID: Int64, id: Int64) async throws -> Experiment {
        guard let row = try await tx.first("SELECT * FROM experiments WHERE id = ? AND project_id = ?", id, projectID) else {
            throw PlatformError.notFound("experiment", id)
        }
        return try Experiment(row: row)
    }

    static func requireFreeName(_ tx: any SQLExecutor, projectID: Int64, name: String) async throws {
        try validate(experimentName: name)
        if let row = try await tx.first("SELECT lifecycle_stage FROM experiments WHERE project_id = ? AND name = ?", projectID, name) {
            let deleted = try row.text("lifecycle_stage") == "deleted"
            throw PlatformError(.conflict, code: "experiment_exists",
                                "project \(projectID) already has \(deleted ? "a deleted" : "an") experiment named '\(name)'")
        }
    }
}
