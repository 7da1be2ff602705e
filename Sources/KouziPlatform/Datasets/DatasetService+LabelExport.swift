import KouziBase
import KouziTables
import Foundation
import KouziData
import KouziFormats
import KouziNN

extension DatasetService {
    /// Writes the labels of a task into a new version (majority label per item; items nobody labelled stay
    /// unlabelled) and closes the task. Tables get the label column filled; image and audio folders get each
    /// labelled file moved from `unlabeled/` into its class folder.
    public func exportLabels(_ principal: Principal, projectID: Int64, datasetID: Int64, taskID: Int64) async throws -> DatasetVersion {
        try await accounts.require(principal, .editor, in: projectID)
        let task = try await labelTask(principal, projectID: projectID, datasetID: datasetID, taskID: taskID)
        guard task.status == "open" else {
            throw PlatformError(.conflict, code: "task_closed", "label task \(taskID) was already exported")
        }
        let votes = try await annotations(taskID: taskID)
        guard !votes.isEmpty else { throw PlatformError(.badRequest, code: "no_annotations", "label task \(taskID) has no annotations yet") }
        let dataset = try await get(principal, projectID: projectID, datasetID: datasetID)
        let order = dataset.labelSchema?.classes ?? []
        let decided = LabelStatistics.majority(votes, classOrder: order)
        let keys = try await store.read { tx in
            var keys: [Int64: String] = [:]
            for row in try await tx.query("SELECT item_index, item_key FROM label_items WHERE task_id = ?", taskID) {
                keys[try row.int("item_index")] = try row.text("item_key")
            }
            return keys
        }
        var labelsByKey: [String: String] = [:]
        for (index, label) in decided.labels { if let key = keys[index] { labelsByKey[key] = label } }
        let source = try await version(principal, projectID: projectID, datasetID: datasetID, number: task.versionNumber)
        let (file, format, inspection) = try await relabel(source, labels: labelsByKey, column: task.labelColumn, projectID: projectID)
        let operation: JSONValue = .object([
            "type": .string("label"), "task": .number(Double(taskID)), "source": .number(Double(task.versionNumber)),
            "labelled": .number(Double(labelsByKey.count)), "ties": .number(Double(decided.ties)),
        ])
        let version = try await insertVersion(userID: principal.userID, projectID: projectID, datasetID: datasetID, parent: task.versionNumber,
                                              format: format, files: [file], inspection: inspection, operation: operation)
        try await store.write { tx in try await tx.execute("UPDATE label_tasks SET status = 'exported' WHERE id = ?", taskID) }
        return version
    }

    private func relabel(_ source: DatasetVersion, labels: [String: String], column: String,
                         projectID: Int64) async throws -> (DatasetFile, DatasetFormat, Inspection) {
        let name = source.files[0].name
        if source.kind == "table" {
            var table = try await loadTable(source)
            let index: Int
            if let existing = table.columnIndex(column) {
                index = existing
            } else {
                table = try RawTable(header: table.header + [column], rows: table.rows.map { $0 + [nil] })
                index = table.header.count - 1
            }
            var rows = table.rows
            for (key, label) in labels { if let row = Int(key), rows.indices.contains(row) { rows[row][index] = label } }
            let labelled = try RawTable(header: table.header, rows: rows)
            let ref: ArtifactRef
            do { ref = try artifacts.put(Data(labelled.csvData())) } catch { throw PlatformError.wrap(error) }
            try await recordBlob(projectID: projectID, ref: ref)
            let inspection = try await runDetached { try Self.tableInspection(labelled, target: column) }
            return (DatasetFile(name: name, sha256: ref.sha256, size: ref.size), .csv, inspection)
        }
        let format = try DatasetFormat.parse(source.format)
        let path = artifacts.url(of: source.files[0].sha256).path
        let scratch = artifacts.temporaryFile("relabel", suffix: ".zip")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await runDetached {
            let archive = try ZipArchive(path: path)
            let writer = try ZipWriter(path: scratch.path)
            for entry in archive.files {
                var target = entry.path
                if let label = labels[entry.path] {
                    var parts = entry.path.split(separator: "/").map(String.init)
                    if let folder = parts.dropLast().lastIndex(where: { UnlabelledFolder.isName($0) }) {
                        parts[folder] = label
                    }
                    target = parts.joined(separator: "/")
                }
                try writer.addFile(named: target, bytes: try archive.contents(of: entry), method: .stored)
            }
            try writer.finish()
        }
        let ref: ArtifactRef
        do { ref = try artifacts.put(fileAt: scratch) } catch { throw PlatformError.wrap(error) }
        try await recordBlob(projectID: projectID, ref: ref)
        let file = DatasetFile(name: name, sha256: ref.sha256, size: ref.size)
        let inspection = try await inspect(format: format, files: [file], target: nil)
        return (file, format, inspection)
    }
}
