import Foundation
import KouziNN

extension ModelRegistry {
    /// Registers a package a job produced as the next version of the project's model `name` (created when
    /// missing), on behalf of the job's owner.
    func registerTrained(projectID: Int64, modelName: String, packagePath: String, userID: Int64,
                         update: ModelVersionUpdate, lineage: ModelLineage) async throws -> ModelVersion {
        let ref: ArtifactRef
        do { ref = try artifacts.put(fileAt: URL(fileURLWithPath: packagePath)) } catch { throw PlatformError.wrap(error) }
        let path = artifacts.url(of: ref.sha256).path
        let scratch = artifacts.temporaryFile("package", suffix: ".kouzi")
        let signature = try jsonText(try await runDetached { try ModelPackage.inspect(zipPath: path, scratch: scratch) })
        let metrics = try jsonText(update.metrics ?? [:]), tags = try jsonText(update.tags ?? [:])
        return try await store.write { tx in
            let modelID = try await Self.ensureModel(tx, projectID: projectID, name: modelName, userID: userID)
            return try await Self.insertVersion(tx, projectID: projectID, modelID: modelID, package: ref, signature: signature,
                                                metrics: metrics, tags: tags, description: update.description ?? "",
                                                lineage: lineage, source: nil, userID: userID)
        }
    }

    /// The id of the project's model `name`, created when missing. Two workers may finish the first jobs of a new
    /// model at once: the insert then waits for the other's row and takes it instead of failing on the name.
    static func ensureModel(_ tx: any SQLExecutor, projectID: Int64, name: String, userID: Int64) async throws -> Int64 {
        try await tx.execute("""
            INSERT INTO models (project_id, name, description, created_by, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (project_id, name) DO NOTHING
            """, projectID, name, "Trained by the platform's jobs", userID, Clock.nowMillis())
        return try await tx.first("SELECT id FROM models WHERE project_id = ? AND name = ?", projectID, name)!.int("id")
    }

    /// Extracts a version's package into `directory` as a `.kouzi` model directory.
    func unpackVersion(modelID: Int64, number: Int64, into directory: URL) async throws -> ModelVersion {
        let row = try await store.read { tx in
            try await tx.first("SELECT * FROM model_versions WHERE model_id = ? AND number = ?", modelID, number)
        }
        guard let row else { throw PlatformError.notFound("model version", "\(modelID)/\(number)") }
        let version = try ModelVersion(row: row, aliases: [])
        guard !version.packageSHA256.isEmpty else {
            throw PlatformError(.unprocessable, code: "package_not_found", "version \(number) of model \(modelID) has no Kouzi package")
        }
        do { try artifacts.verify(version.packageSHA256) } catch { throw PlatformError.wrap(error) }
        let path = artifacts.url(of: version.packageSHA256).path
        try await runDetached { try ModelPackage.unpack(zipPath: path, into: directory) }
        return version
    }
}
