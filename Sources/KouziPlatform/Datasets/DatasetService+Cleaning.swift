import KouziBase
import KouziTables
import Foundation
import KouziData
import KouziNN

/// The outcome of a cleaning request: a preview (nothing written) or the new version.
public struct CleaningOutcome: Sendable, Codable {
    /// The per-step report and (for a preview) the first rows.
    public var result: CleaningResult
    /// The version made (nil for a preview).
    public var version: DatasetVersion?
}

extension DatasetService {
    /// Loads a table version into memory (after checking its hash).
    func loadTable(_ version: DatasetVersion) async throws -> RawTable {
        guard version.kind == "table", let file = version.files.first else {
            throw PlatformError(.badRequest, code: "not_a_table",
                                "version \(version.number) is a \(version.kind) dataset; this operation needs a table (CSV)")
        }
        let data: Data
        do { data = try artifacts.data(file.sha256) } catch { throw PlatformError.wrap(error) }
        return try await runDetached { try RawTable(csv: [UInt8](data), source: file.name) }
    }

    /// Runs a cleaning pipeline on a table version. With `preview` nothing is written and the first `previewRows`
    /// rows come back; otherwise the cleaned table becomes the next version, its parent and pipeline recorded.
    public func clean(_ principal: Principal, projectID: Int64, datasetID: Int64, number: Int64,
                      pipeline: CleaningPipeline, preview: Bool, previewRows: Int = 20) async throws -> CleaningOutcome {
        try await accounts.require(principal, preview ? .viewer : .editor, in: projectID)
        guard !pipeline.steps.isEmpty else { throw PlatformError.invalid("steps", "the pipeline has no steps") }
        let source = try await version(principal, projectID: projectID, datasetID: datasetID, number: number)
        let table = try await loadTable(source)
        let result: CleaningResult
        do {
            try pipeline.validate(against: table.header)
            result = try await runDetached {
                preview ? try pipeline.preview(table, rows: max(1, min(previewRows, 1000))) : try pipeline.apply(to: table)
            }
        } catch let error as CleaningError {
            throw PlatformError.wrap(error)
        } catch let error as TableError {
            throw PlatformError(.unprocessable, code: "pipeline_failed", error.description)
        }
        if preview { return CleaningOutcome(result: result, version: nil) }
        let csv = result.table.csvData()
        let ref: ArtifactRef
        do { ref = try artifacts.put(Data(csv)) } catch { throw PlatformError.wrap(error) }
        try await recordBlob(projectID: projectID, ref: ref)
        let name = source.files[0].name
        let file = DatasetFile(name: name, sha256: ref.sha256, size: ref.size)
        let cleaned = result.table
        let target = source.summary.objectValue?["target"]?.stringValue.flatMap { cleaned.columnIndex($0) == nil ? nil : $0 }
        let inspection = try await runDetached { try Self.tableInspection(cleaned, target: target) }
        let operation: JSONValue = .object([
            "type": .string("clean"),
            "source": .number(Double(number)),
            "pipeline": try JSONDecoder().decode(JSONValue.self, from: Data(pipeline.canonicalJSON.utf8)),
        ])
        let version = try await insertVersion(userID: principal.userID, projectID: projectID, datasetID: datasetID, parent: number,
                                              format: .csv, files: [file], inspection: inspection, operation: operation)
        var summary = result
        summary.table = result.table.prefix(min(previewRows, 20))
        summary.isPreview = true
        return CleaningOutcome(result: summary, version: version)
    }

    func recordBlob(projectID: Int64, ref: ArtifactRef) async throws {
        try await store.write { tx in
            try await tx.execute("""
                INSERT INTO project_blobs (project_id, sha256, size, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (project_id, sha256) DO NOTHING
                """, projectID, ref.sha256, ref.size, Clock.nowMillis())
        }
    }
}
