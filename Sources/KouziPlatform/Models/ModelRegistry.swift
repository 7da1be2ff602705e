import Foundation
import KouziNN

/// Named models and their versions: registration of checked packages, metadata, lineage, aliases that move
/// between versions, downloads, and deletion guarded against deployed or aliased versions.
public final class ModelRegistry: Sendable {
    let store: any Store
    let artifacts: ArtifactStore
    let accounts: AccountService
    let maxUploadBytes: Int64

    init(store: any Store, artifacts: ArtifactStore, accounts: AccountService, maxUploadBytes: Int64) {
        self.store = store
        self.artifacts = artifacts
        self.accounts = accounts
        self.maxUploadBytes = maxUploadBytes
    }

    /// Creates a model (editors).
    public func create(_ principal: Principal, projectID: Int64, name: String, description: String) async throws -> RegisteredModel {
        try await accounts.require(principal, .editor, in: projectID)
        try validateName(name)
        return try await store.write { tx in
            guard try await tx.first("SELECT id FROM models WHERE project_id = ? AND name = ?", projectID, name) == nil else {
                throw PlatformError(.conflict, code: "model_exists", "project \(projectID) already has a model named '\(name)'")
            }
            let row = try await tx.first("""
                INSERT INTO models (project_id, name, description, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *
                """, projectID, name, description, principal.userID, Clock.nowMillis())!
            return try RegisteredModel(row: row, aliases: [:])
        }
    }

    /// The models of a project.
    public func list(_ principal: Principal, projectID: Int64, limit: Int = 100, offset: Int = 0) async throws -> [RegisteredModel] {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in
            let rows = try await tx.query("""
                SELECT m.*, (SELECT MAX(number) FROM model_versions v WHERE v.model_id = m.id) AS latest_version
                FROM models m WHERE m.project_id = ? ORDER BY m.id LIMIT ? OFFSET ?
                """, projectID, limit, offset)
            var aliases: [Int64: [String: Int64]] = [:]
            for row in try await tx.query("""
                SELECT a.model_id, a.alias, a.version_number FROM model_aliases a JOIN models m ON m.id = a.model_id
                WHERE m.project_id = ?
                """, projectID) {
                aliases[try row.int("model_id"), default: [:]][try row.text("alias")] = try row.int("version_number")
            }
            return try rows.map { try RegisteredModel(row: $0, aliases: aliases[try $0.int("id")] ?? [:]) }
        }
    }

    /// One model.
    public func get(_ principal: Principal, projectID: Int64, modelID: Int64) async throws -> RegisteredModel {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in try await Self.model(tx, projectID: projectID, modelID: modelID) }
    }

    static func model(_ tx: any SQLExecutor, projectID: Int64, modelID: Int64) async throws -> RegisteredModel {
        let row = try await tx.first("""
            SELECT m.*, (SELECT MAX(number) FROM model_versions v WHERE v.model_id = m.id) AS latest_version
            FROM models m WHERE m.id = ? AND m.project_id = ?
            """, modelID, projectID)
        guard let row else { throw PlatformError.notFound("model", modelID) }
        var aliases: [String: Int64] = [:]
        for alias in try await tx.query("SELECT alias, version_number FROM model_aliases WHERE model_id = ?", modelID) {
            aliases[try alias.text("alias")] = try alias.int("version_number")
        }
        return try RegisteredModel(row: row, aliases: aliases)
    }

    /// Starts receiving a model package (editors).
    public func beginUpload(_ principal: Principal, projectID: Int64, modelID: Int64) async throws -> ArtifactUpload {
        try await accounts.require(principal, .editor, in: projectID)
        _ = try await get(principal, projectID: projectID, modelID: modelID)
        return try artifacts.beginUpload(limit: maxUploadBytes)
    }

    /// Registers an uploaded package as the model's next version after checking that it loads.
    public func register(_ principal: Principal, projectID: Int64, modelID: Int64, upload: ArtifactUpload,
                         update: ModelVersionUpdate = .init(), lineage: ModelLineage = .init()) async throws -> ModelVersion {
        let ref: ArtifactRef
        do { ref = try upload.commit() } catch { throw PlatformError.wrap(error) }
        return try await registerPackage(principal, projectID: projectID, modelID: modelID, package: ref, update: update, lineage: lineage)
    }

    /// Registers a stored package as the model's next version after checking that it loads.
    func registerPackage(_ principal: Principal, projectID: Int64, modelID: Int64, package ref: ArtifactRef,
                         update: ModelVersionUpdate, lineage: ModelLineage) async throws -> ModelVersion {
        let path = artifacts.url(of: ref.sha256).path
        let scratch = artifacts.temporaryFile("package", suffix: ".kouzi")
        let signature = try await runDetached { try ModelPackage.inspect(zipPath: path, scratch: scratch) }
        if let datasetID = lineage.datasetID {
            let exists = try await store.read { tx in
                try await tx.first("""
                    SELECT v.number FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id
                    WHERE d.id = ? AND d.project_id = ? AND v.number = ?
                    """, datasetID, projectID, lineage.datasetVersion ?? -1)
            }
            guard exists != nil else {
                throw PlatformError.invalid("datasetVersion", "dataset \(datasetID) version \(lineage.datasetVersion.map(String.init) ?? "?") does not exist in project \(projectID)")
            }
        }
        let signatureText = try jsonText(signature)
        let metrics = try jsonText(update.metrics ?? [:])
        let tags = try jsonText(update.tags ?? [:])
        return try await store.write { tx in
            try await Self.insertVersion(tx, projectID: projectID, modelID: modelID, package: ref, signature: signatureText,
                                         metrics: metrics, tags: tags, description: update.description ?? "",
                                         lineage: lineage, source: nil, userID: principal.userID)
        }
    }

    /// Inserts a model's next version; `package` is nil for a version that only names its `source`.
    static func insertVersion(_ tx: any SQLExecutor, projectID: Int64, modelID: Int64, package: ArtifactRef?, signature: String,
                              metrics: String, tags: String, description: String, lineage: ModelLineage, source: String?,
                              userID: Int64) async throws -> ModelVersion {
        _ = try await Self.model(tx, projectID: projectID, modelID: modelID)
        if tx.dialect == .postgres { _ = try await tx.query("SELECT id FROM models WHERE id = ? FOR UPDATE", modelID) }
        let next = try await tx.first("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM model_versions WHERE model_id = ?",
                                      modelID)!.int("n")
        let row = try await tx.first("""
            INSERT INTO model_versions (model_id, number, package_hash, size, signature, metrics, tags, description,
                dataset_id, dataset_version, run_id, source, created_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *
            """, modelID, next, package?.sha256 ?? "", package?.size ?? 0, signature, metrics, tags, description,
            lineage.datasetID, lineage.datasetVersion, lineage.runID, source, userID, Clock.nowMillis())!
        return try ModelVersion(row: row, aliases: [])
    }

    /// The versions of a model, oldest first.
    public func versions(_ principal: Principal, projectID: Int64, modelID: Int64) async throws -> [ModelVersion] {
        let model = try await get(principal, projectID: projectID, modelID: modelID)
        return try await store.read { tx in
            try await tx.query("SELECT * FROM model_versions WHERE model_id = ? ORDER BY number", modelID).map { row in
                let number = try row.int("number")
                return try ModelVersion(row: row, aliases: model.aliases.filter { $0.value == number }.map(\.key))
            }
        }
    }

    /// One version, by number or by alias.
    public func version(_ principal: Principal, projectID: Int64, modelID: Int64, reference: String) async throws -> ModelVersion {
        let model = try await get(principal, projectID: projectID, modelID: modelID)
        let number = try Self.resolve(reference, in: model)
        let row = try await store.read { tx in
            try await tx.first("SELECT * FROM model_versions WHERE model_id = ? AND number = ?", modelID, number)
        }
        guard let row else { throw PlatformError.notFound("model version", "\(modelID)/\(number)") }
        return try ModelVersion(row: row, aliases: model.aliases.filter { $0.value == number }.map(\.key))
    }

    static func resolve(_ reference: String, in model: RegisteredModel) throws -> Int64 {
        if let number = Int64(reference), number > 0 { return number }
        if reference == "latest" && model.aliases["latest"] == nil && model.latestVersion > 0 { return model.latestVersion }
        guard let number = model.aliases[reference] else {
            throw PlatformError(.notFound, code: "alias_not_found",
                                "model \(model.id) has no alias '\(reference)'; its aliases are \(model.aliases.keys.sorted())")
        }
        return number
    }

    /// Changes a version's description, metrics or tags (metrics and tags merge into the existing ones).
    public func update(_ principal: Principal, projectID: Int64, modelID: Int64, number: Int64,
                       update: ModelVersionUpdate) async throws -> ModelVersion {
        try await accounts.require(principal, .editor, in: projectID)
        let current = try await version(principal, projectID: projectID, modelID: modelID, reference: String(number))
        let metrics = try jsonText(current.metrics.merging(update.metrics ?? [:]) { $1 })
        let tags = try jsonText(current.tags.merging(update.tags ?? [:]) { $1 })
        let description = update.description ?? current.description
        try await store.write { tx in
            try await tx.execute("UPDATE model_versions SET metrics = ?, tags = ?, description = ? WHERE model_id = ? AND number = ?",
                                 metrics, tags, description, modelID, number)
        }
        return try await version(principal, projectID: projectID, modelID: modelID, reference: String(number))
    }

    /// Points an alias at a version (creating or moving it).
    public func setAlias(_ principal: Principal, projectID: Int64, modelID: Int64, alias: String, number: Int64) async throws -> RegisteredModel {
        try await accounts.require(principal, .editor, in: projectID)
        try validateName(alias, field: "alias")
        guard Int64(alias) == nil else { throw PlatformError.invalid("alias", "'\(alias)' is a number; aliases must not look like version numbers") }
        return try await store.write { tx in
            _ = try await Self.model(tx, projectID: projectID, modelID: modelID)
            guard try await tx.first("SELECT number FROM model_versions WHERE model_id = ? AND number = ?", modelID, number) != nil else {
                throw PlatformError.notFound("model version", "\(modelID)/\(number)")
            }
            try await tx.execute("""
                INSERT INTO model_aliases (model_id, alias, version_number, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (model_id, alias) DO UPDATE SET version_number = excluded.version_number, updated_at = excluded.updated_at
                """, modelID, alias, number, Clock.nowMillis())
            return try await Self.model(tx, projectID: projectID, modelID: modelID)
        }
    }

    /// Removes an alias.
    public func deleteAlias(_ principal: Principal, projectID: Int64, modelID: Int64, alias: String) async throws {
        try await accounts.require(principal, .editor, in: projectID)
        try await store.write { tx in
            _ = try await Self.model(tx, projectID: projectID, modelID: modelID)
            let removed = try await tx.query("DELETE FROM model_aliases WHERE model_id = ? AND alias = ? RETURNING alias", modelID, alias)
            guard !removed.isEmpty else {
                throw PlatformError(.notFound, code: "alias_not_found", "model \(modelID) has no alias '\(alias)'")
            }
        }
    }

    /// Deletes a version unless a deployment serves it or an alias points at it (move the alias first).
    public func deleteVersion(_ principal: Principal, projectID: Int64, modelID: Int64, number: Int64) async throws {
        try await accounts.require(principal, .editor, in: projectID)
        try await store.write { tx in
            _ = try await Self.model(tx, projectID: projectID, modelID: modelID)
            guard try await tx.first("SELECT number FROM model_versions WHERE model_id = ? AND number = ?", modelID, number) != nil else {
                throw PlatformError.notFound("model version", "\(modelID)/\(number)")
            }
            let deployments = try await tx.query("""
                SELECT name FROM deployments WHERE model_id = ? AND version_number = ?
                UNION SELECT d.name FROM deployment_variants v JOIN deployments d ON d.id = v.deployment_id
                WHERE d.model_id = ? AND v.version_number = ?
                """, modelID, number, modelID, number)
            guard deployments.isEmpty else {
                throw PlatformError(.conflict, code: "version_deployed",
                                    "version \(number) is deployed as \(try deployments.map { try $0.text("name") }); undeploy it first")
            }
            let aliases = try await tx.query("SELECT alias FROM model_aliases WHERE model_id = ? AND version_number = ?", modelID, number)
            guard aliases.isEmpty else {
                throw PlatformError(.conflict, code: "version_aliased",
                                    "aliases \(try aliases.map { try $0.text("alias") }) point at version \(number); move them first")
            }
            try await tx.execute("DELETE FROM model_versions WHERE model_id = ? AND number = ?", modelID, number)
        }
    }

    /// Opens a version's package for download.
    public func openPackage(_ principal: Principal, projectID: Int64, modelID: Int64, reference: String) async throws -> (ModelVersion, ArtifactReader) {
        let version = try await version(principal, projectID: projectID, modelID: modelID, reference: reference)
        guard !version.packageSHA256.isEmpty else {
            throw PlatformError(.notFound, code: "package_not_found",
                                "version \(version.number) of model \(modelID) has no Kouzi package: it was registered through MLflow from '\(version.source ?? "")'")
        }
        do { return (version, try artifacts.openReader(version.packageSHA256)) } catch { throw PlatformError.wrap(error) }
    }
}
