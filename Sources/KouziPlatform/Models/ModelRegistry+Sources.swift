/// Lookups by name, versions that only name their source (registered through MLflow, without a Kouzi package),
/// and model-level changes.
extension ModelRegistry {
    /// One model, by name.
    public func model(_ principal: Principal, projectID: Int64, named name: String) async throws -> RegisteredModel {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in
            guard let row = try await tx.first("SELECT id FROM models WHERE project_id = ? AND name = ?", projectID, name) else {
                throw PlatformError.notFound("model", "'\(name)'")
            }
            return try await Self.model(tx, projectID: projectID, modelID: try row.int("id"))
        }
    }

    /// Registers the model's next version as a reference to `source` (e.g. `runs:/RUN/model`) without a package
    /// (editors). Such a version is listed and versioned like any other, but cannot be downloaded or deployed.
    public func registerSource(_ principal: Principal, projectID: Int64, modelID: Int64, source: String, runID: String?,
                               description: String, tags: [String: String]) async throws -> ModelVersion {
        try await accounts.require(principal, .editor, in: projectID)
        guard !source.isEmpty, source.count <= 1000 else {
            throw PlatformError.invalid("source", "must be a URI of 1–1000 characters")
        }
        let tags = try jsonText(tags)
        let signature = try jsonText(["inputs": [String](), "outputs": [String]()])
        return try await store.write { tx in
            try await Self.insertVersion(tx, projectID: projectID, modelID: modelID, package: nil, signature: signature,
                                         metrics: "{}", tags: tags, description: description,
                                         lineage: ModelLineage(runID: runID), source: source, userID: principal.userID)
        }
    }

    /// Changes a model's description (editors).
    public func describe(_ principal: Principal, projectID: Int64, modelID: Int64, description: String) async throws -> RegisteredModel {
        try await accounts.require(principal, .editor, in: projectID)
        return try await store.write { tx in
            _ = try await Self.model(tx, projectID: projectID, modelID: modelID)
            try await tx.execute("UPDATE models SET description = ? WHERE id = ?", description, modelID)
            return try await Self.model(tx, projectID: projectID, modelID: modelID)
        }
    }

    /// Deletes a model with its versions and aliases unless a deployment serves one of them (editors).
    public func delete(_ principal: Principal, projectID: Int64, modelID: Int64) async throws {
        try await accounts.require(principal, .editor, in: projectID)
        try await store.write { tx in
            _ = try await Self.model(tx, projectID: projectID, modelID: modelID)
            let deployments = try await tx.query("SELECT name FROM deployments WHERE model_id = ?", modelID)
            guard deployments.isEmpty else {
                throw PlatformError(.conflict, code: "model_deployed",
                                    "the model is deployed as \(try deployments.map { try $0.text("name") }); undeploy it first")
            }
            try await tx.execute("DELETE FROM models WHERE id = ?", modelID)
        }
    }
}
