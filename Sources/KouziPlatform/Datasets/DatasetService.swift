import KouziBase
import Crypto
import Foundation
import KouziData
import KouziNN

/// Datasets and their immutable versions: uploads, inspection, lineage, downloads, cleaning and labelling.
public final class DatasetService: Sendable {
    let store: any Store
    let artifacts: ArtifactStore
    let accounts: AccountService
    let maxUploadBytes: Int64
    /// Decoded versions by "dataset/number": versions never change and ids are never reused, so entries stay valid.
    let versionCache = TTLCache<DatasetVersion>(ttlMillis: 600_000)

    init(store: any Store, artifacts: ArtifactStore, accounts: AccountService, maxUploadBytes: Int64) {
        self.store = store
        self.artifacts = artifacts
        self.accounts = accounts
        self.maxUploadBytes = maxUploadBytes
    }

    // MARK: Datasets

    /// Creates an empty dataset (editors).
    public func create(_ principal: Principal, projectID: Int64, name: String, description: String) async throws -> Dataset {
        try await accounts.require(principal, .editor, in: projectID)
        try validateName(name)
        return try await store.write { tx in
            guard try await tx.first("SELECT id FROM datasets WHERE project_id = ? AND name = ?", projectID, name) == nil else {
                throw PlatformError(.conflict, code: "dataset_exists", "project \(projectID) already has a dataset named '\(name)'")
            }
            let row = try await tx.first("""
                INSERT INTO datasets (project_id, name, description, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *
                """, projectID, name, description, principal.userID, Clock.nowMillis())!
            return try Dataset(row: row)
        }
    }

    /// The datasets of a project.
    public func list(_ principal: Principal, projectID: Int64, limit: Int = 100, offset: Int = 0) async throws -> [Dataset] {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in
            try await tx.query("""
                SELECT d.*, (SELECT MAX(number) FROM dataset_versions v WHERE v.dataset_id = d.id) AS latest_version
                FROM datasets d WHERE d.project_id = ? ORDER BY d.id LIMIT ? OFFSET ?
                """, projectID, limit, offset).map(Dataset.init(row:))
        }
    }

    /// One dataset.
    public func get(_ principal: Principal, projectID: Int64, datasetID: Int64) async throws -> Dataset {
        try await accounts.require(principal, .viewer, in: projectID)
        return try await store.read { tx in try await Self.dataset(tx, projectID: projectID, datasetID: datasetID) }
    }

    static func dataset(_ tx: any SQLExecutor, projectID: Int64, datasetID: Int64, lock: Bool = false) async throws -> Dataset {
        let row = try await tx.first("""
            SELECT d.*, (SELECT MAX(number) FROM dataset_versions v WHERE v.dataset_id = d.id) AS latest_version
            FROM datasets d WHERE d.id = ? AND d.project_id = ?
            """, datasetID, projectID)
        guard let row else { throw PlatformError.notFound("dataset", datasetID) }
        if lock && tx.dialect == .postgres {
            _ = try await tx.query("SELECT id FROM datasets WHERE id = ? FOR UPDATE", datasetID)
        }
        return try Dataset(row: row)
    }

    // MARK: Uploads

    /// Starts receiving a file for the project (editors); the caller streams bytes into it and passes the upload
    /// to ``finishUpload(_:projectID:upload:)``.
    public func beginUpload(_ principal: Principal, projectID: Int64) async throws -> ArtifactUpload {
        try await accounts.require(principal, .editor, in: projectID)
        return try artifacts.beginUpload(limit: maxUploadBytes)
    }

    /// Commits an upload and records that the project owns its content.
    public func finishUpload(_ principal: Principal, projectID: Int64, upload: ArtifactUpload) async throws -> ArtifactRef {
        let ref: ArtifactRef
        do { ref = try upload.commit() } catch { throw PlatformError.wrap(error) }
        try await recordBlob(projectID: projectID, ref: ref)
        return ref
    }

    // MARK: Versions

    /// Makes a new version from uploaded files: checks the project owns them, inspects them for the format
    /// (schema, classes, profile, quality) and records the version with its lineage, all or nothing.
    public func createVersion(_ principal: Principal, projectID: Int64, datasetID: Int64, format: DatasetFormat,
                              files: [DatasetFile], target: String? = nil) async throws -> DatasetVersion {
        try await accounts.require(principal, .editor, in: projectID)
        guard !files.isEmpty else { throw PlatformError.invalid("files", "a version needs at least one file") }
        guard Set(files.map(\.name)).count == files.count else { throw PlatformError.invalid("files", "file names must be distinct") }
        for file in files { try validateFileName(file.name) }
        _ = try await get(principal, projectID: projectID, datasetID: datasetID)
        let owned = try await store.read { tx in
            var owned: [DatasetFile] = []
            for file in files {
                guard let row = try await tx.first("SELECT size FROM project_blobs WHERE project_id = ? AND sha256 = ?",
                                                   projectID, file.sha256) else {
                    throw PlatformError(.badRequest, code: "unknown_upload",
                                        "no upload with sha256 \(file.sha256) in project \(projectID) (file '\(file.name)')")
                }
                owned.append(DatasetFile(name: file.name, sha256: file.sha256, size: try row.int("size")))
            }
            return owned
        }
        let inspection = try await inspect(format: format, files: owned, target: target)
        return try await insertVersion(userID: principal.userID, projectID: projectID, datasetID: datasetID, parent: nil, format: format,
                                       files: owned, inspection: inspection, operation: .object(["type": .string("upload")]))
    }

    func insertVersion(userID: Int64, projectID: Int64, datasetID: Int64, parent: Int64?, format: DatasetFormat,
                       files: [DatasetFile], inspection: Inspection, operation: JSONValue) async throws -> DatasetVersion {
        let contentHash = Self.contentHash(files)
        let filesJSON = try jsonText(files)
        let summary = try jsonText(inspection.summary)
        let profile = try inspection.profile.map(jsonText)
        let quality = try inspection.quality.map(jsonText)
        let operationText = try jsonText(operation)
        return try await store.write { tx in
            _ = try await Self.dataset(tx, projectID: projectID, datasetID: datasetID, lock: true)
            let next = try await tx.first("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM dataset_versions WHERE dataset_id = ?",
                                          datasetID)!.int("n")
            let row = try await tx.first("""
                INSERT INTO dataset_versions (dataset_id, number, parent_number, format, kind, content_hash, files, size,
                    row_count, summary, profile, quality, operation, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *
                """, datasetID, next, parent, format.rawValue, inspection.kind, contentHash, filesJSON,
                files.reduce(Int64(0)) { $0 + $1.size }, inspection.rowCount, summary, profile, quality, operationText,
                userID, Clock.nowMillis())!
            return try DatasetVersion(row: row)
        }
    }

    /// The versions of a dataset, oldest first (the lineage graph is their parent links).
    public func versions(_ principal: Principal, projectID: Int64, datasetID: Int64) async throws -> [DatasetVersion] {
        try await accounts.require(principal, .viewer, in: projectID)
        // One query checks the dataset is in the project and lists its version numbers (none: one NULL row).
        let rows = try await store.read { tx in
            try await tx.query("""
                SELECT v.number FROM datasets d LEFT JOIN dataset_versions v ON v.dataset_id = d.id
                WHERE d.id = ? AND d.project_id = ? ORDER BY v.number
                """, datasetID, projectID)
        }
        guard !rows.isEmpty else { throw PlatformError.notFound("dataset", datasetID) }
        let numbers = try rows.compactMap { try $0.optionalInt("number") }
        var versions: [DatasetVersion] = []
        var missing = false
        for number in numbers {
            guard let cached = versionCache.get("\(datasetID)/\(number)") else { missing = true; break }
            versions.append(cached)
        }
        if !missing { return versions }
        versions = try await store.read { tx in
            try await tx.query("""
                SELECT dataset_id, number, parent_number, format, kind, content_hash, files, size, row_count, summary,
                    operation, created_by, created_at FROM dataset_versions WHERE dataset_id = ? ORDER BY number
                """, datasetID).map(DatasetVersion.init(row:))
        }
        for version in versions { versionCache.put("\(datasetID)/\(version.number)", version) }
        return versions
    }

    /// One version.
    public func version(_ principal: Principal, projectID: Int64, datasetID: Int64, number: Int64) async throws -> DatasetVersion {
        if let cached = versionCache.get("\(datasetID)/\(number)") {
            _ = try await get(principal, projectID: projectID, datasetID: datasetID)
            return cached
        }
        let version = try await DatasetVersion(row: versionRow(principal, projectID: projectID, datasetID: datasetID, number: number))
        versionCache.put("\(datasetID)/\(number)", version)
        return version
    }

    func versionRow(_ principal: Principal, projectID: Int64, datasetID: Int64, number: Int64) async throws -> SQLRow {
        try await accounts.require(principal, .viewer, in: projectID)
        let row = try await store.read { tx in
            try await tx.first("""
                SELECT v.* FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id
                WHERE v.dataset_id = ? AND v.number = ? AND d.project_id = ?
                """, datasetID, number, projectID)
        }
        guard let row else { throw PlatformError.notFound("dataset version", "\(datasetID)/\(number)") }
        return row
    }

    /// A version's profile (tables: per-column statistics and class balance; others: their summary).
    public func profile(_ principal: Principal, projectID: Int64, datasetID: Int64, number: Int64) async throws -> JSONValue {
        let row = try await versionRow(principal, projectID: projectID, datasetID: datasetID, number: number)
        return try row.optionalJSON("profile") ?? row.json("summary")
    }

    /// A version's data-quality report.
    public func quality(_ principal: Principal, projectID: Int64, datasetID: Int64, number: Int64) async throws -> JSONValue {
        let row = try await versionRow(principal, projectID: projectID, datasetID: datasetID, number: number)
        guard let quality: JSONValue = try row.optionalJSON("quality") else {
            throw PlatformError(.notFound, code: "quality_not_available",
                                "version \(number) is a \(try row.text("kind")) dataset; quality reports cover tables")
        }
        return quality
    }

    /// Opens a file of a version for download (the first file when `name` is nil).
    public func openFile(_ principal: Principal, projectID: Int64, datasetID: Int64, number: Int64,
                         name: String?) async throws -> (DatasetFile, ArtifactReader) {
        let version = try await version(principal, projectID: projectID, datasetID: datasetID, number: number)
        let file: DatasetFile
        if let name {
            guard let found = version.files.first(where: { $0.name == name }) else {
                throw PlatformError(.notFound, code: "file_not_found",
                                    "version \(number) has no file '\(name)'; it has \(version.files.map(\.name))")
            }
            file = found
        } else {
            file = version.files[0]
        }
        do { return (file, try artifacts.openReader(file.sha256)) } catch { throw PlatformError.wrap(error) }
    }

    static func contentHash(_ files: [DatasetFile]) -> String {
        var hasher = SHA256()
        for file in files.sorted(by: { $0.name < $1.name }) {
            hasher.update(data: Data("\(file.name)\u{0}\(file.sha256)\n".utf8))
        }
        return hasher.finalize().hexString
    }
}

/// A file name inside a dataset version: no folders, no traversal, no control characters.
func validateFileName(_ name: String) throws {
    let bad = name.isEmpty || name.count > 255 || name.contains("/") || name.contains("\\") || name == "." || name == ".."
        || name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    if bad { throw PlatformError.invalid("file name", "'\(name)' must be a plain file name (no '/', '\\', '..' or control characters)") }
}
