import KouziBase
import KouziTables
import Foundation
import KouziData
import KouziFormats
import KouziNN

extension DatasetService {
    /// Sets how a dataset is labelled (editors).
    public func setLabelSchema(_ principal: Principal, projectID: Int64, datasetID: Int64, schema: LabelSchema) async throws -> Dataset {
        try await accounts.require(principal, .editor, in: projectID)
        let text = try jsonText(schema)
        return try await store.write { tx in
            _ = try await Self.dataset(tx, projectID: projectID, datasetID: datasetID, lock: true)
            try await tx.execute("UPDATE datasets SET label_schema = ? WHERE id = ?", text, datasetID)
            return try await Self.dataset(tx, projectID: projectID, datasetID: datasetID)
        }
    }

    /// Creates a task over the unlabelled items of a version: table rows whose label column is empty (all rows
    /// when the column does not exist yet), or archive files outside the class folders (under `unlabeled/`).
    public func createLabelTask(_ principal: Principal, projectID: Int64, datasetID: Int64, number: Int64,
                                annotationsPerItem: Int) async throws -> LabelTask {
        try await accounts.require(principal, .editor, in: projectID)
        guard (1...10).contains(annotationsPerItem) else {
            throw PlatformError.invalid("annotationsPerItem", "\(annotationsPerItem) is not in 1…10")
        }
        let dataset = try await get(principal, projectID: projectID, datasetID: datasetID)
        guard let schema = dataset.labelSchema else {
            throw PlatformError(.badRequest, code: "no_label_schema", "dataset \(datasetID) has no label schema; set one first")
        }
        let version = try await version(principal, projectID: projectID, datasetID: datasetID, number: number)
        let items = try await unlabelledItems(version, column: schema.column)
        guard !items.isEmpty else {
            throw PlatformError(.badRequest, code: "nothing_to_label", "version \(number) has no unlabelled items")
        }
        let contents = try items.map { ($0.0, try jsonText($0.1)) }
        return try await store.write { tx in
            let row = try await tx.first("""
                INSERT INTO label_tasks (dataset_id, version_number, label_column, annotations_per_item, status, item_count,
                    created_by, created_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?) RETURNING *
                """, datasetID, number, schema.column, annotationsPerItem, items.count, principal.userID, Clock.nowMillis())!
            let taskID = try row.int("id")
            for chunk in stride(from: 0, to: contents.count, by: 200) {
                let part = contents[chunk..<min(chunk + 200, contents.count)]
                let placeholders = Array(repeating: "(?, ?, ?, ?)", count: part.count).joined(separator: ", ")
                var binds: [SQLValue] = []
                for (offset, item) in part.enumerated() {
                    binds += [.int(taskID), .int(Int64(chunk + offset)), .text(item.0), .text(item.1)]
                }
                try await tx.execute("INSERT INTO label_items (task_id, item_index, item_key, content) VALUES \(placeholders)", binds)
            }
            return try LabelTask(row: row)
        }
    }

    func unlabelledItems(_ version: DatasetVersion, column: String) async throws -> [(String, JSONValue)] {
        switch version.kind {
        case "table":
            let table = try await loadTable(version)
            let labelIndex = table.columnIndex(column)
            var items: [(String, JSONValue)] = []
            for (row, cells) in table.rows.enumerated() where labelIndex == nil || cells[labelIndex!] == nil {
                var object: [String: JSONValue] = [:]
                for (name, cell) in zip(table.header, cells) { object[name] = cell.map { .string($0) } ?? .null }
                items.append((String(row), .object(object)))
            }
            return items
        case "images", "audio" where version.format != DatasetFormat.idx.rawValue:
            let path = artifacts.url(of: version.files[0].sha256).path
            let archive = try ZipArchive(path: path)
            return archive.files.filter { UnlabelledFolder.contains(path: $0.path) }.map { ($0.path, .object(["path": .string($0.path)])) }
        default:
            throw PlatformError(.badRequest, code: "not_labellable",
                                "\(version.format) versions cannot be labelled here; use a table or an image/audio folder")
        }
    }

    /// A task with its progress.
    public func labelTask(_ principal: Principal, projectID: Int64, datasetID: Int64, taskID: Int64) async throws -> LabelTask {
        guard let task = try await labelTasks(principal, projectID: projectID, datasetID: datasetID, taskID: taskID).first else {
            throw PlatformError.notFound("label task", taskID)
        }
        return task
    }

    /// The dataset's labelling tasks with their progress, newest first (one of them when `taskID` is given).
    public func labelTasks(_ principal: Principal, projectID: Int64, datasetID: Int64, taskID: Int64? = nil) async throws -> [LabelTask] {
        _ = try await get(principal, projectID: projectID, datasetID: datasetID)
        return try await store.read { tx in
            try await tx.query("""
                SELECT t.*,
                    (SELECT COUNT(DISTINCT item_index) FROM annotations a WHERE a.task_id = t.id) AS annotated_items,
                    (SELECT COUNT(*) FROM annotations a WHERE a.task_id = t.id) AS annotation_count,
                    (SELECT COUNT(*) FROM (SELECT item_index FROM annotations a WHERE a.task_id = t.id GROUP BY item_index
                        HAVING COUNT(*) >= t.annotations_per_item) c) AS complete_items
                FROM label_tasks t WHERE t.dataset_id = ? AND (? = 0 OR t.id = ?) ORDER BY t.id DESC
                """, datasetID, taskID ?? 0, taskID ?? 0).map(LabelTask.init(row:))
        }
    }

    /// The bytes of an image or audio item of a task, with the media type its extension names.
    public func labelItemMedia(_ principal: Principal, projectID: Int64, datasetID: Int64, taskID: Int64,
                               index: Int64) async throws -> (bytes: [UInt8], mediaType: String) {
        let task = try await labelTask(principal, projectID: projectID, datasetID: datasetID, taskID: taskID)
        let row = try await store.read { tx in
            try await tx.first("SELECT item_key FROM label_items WHERE task_id = ? AND item_index = ?", taskID, index)
        }
        guard let row else { throw PlatformError.notFound("label item", index) }
        let path = try row.text("item_key")
        let version = try await version(principal, projectID: projectID, datasetID: datasetID, number: task.versionNumber)
        guard version.kind == "images" || version.kind == "audio", let file = version.files.first else {
            throw PlatformError(.badRequest, code: "no_media", "items of a \(version.kind) version are not files")
        }
        let archivePath = artifacts.url(of: file.sha256).path
        let bytes: [UInt8] = try await runDetached {
            do { return try ZipArchive(path: archivePath).contents(ofEntryNamed: path) } catch {
                throw PlatformError(.notFound, code: "label_item_missing", "\(path) cannot be read from the version's archive: \(error)")
            }
        }
        let types = ["png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp",
                     "webp": "image/webp", "wav": "audio/wav", "mp3": "audio/mpeg", "ogg": "audio/ogg", "flac": "audio/flac"]
        let ext = (path as NSString).pathExtension.lowercased()
        return (bytes, types[ext] ?? "application/octet-stream")
    }

    /// Items of a task with their annotations.
    public func labelItems(_ principal: Principal, projectID: Int64, datasetID: Int64, taskID: Int64,
                           limit: Int, offset: Int) async throws -> [LabelItem] {
        _ = try await labelTask(principal, projectID: projectID, datasetID: datasetID, taskID: taskID)
        return try await store.read { tx in
            let rows = try await tx.query("""
                SELECT item_index, item_key, content FROM label_items WHERE task_id = ? ORDER BY item_index LIMIT ? OFFSET ?
                """, taskID, limit, offset)
            guard let first = rows.first, let last = rows.last else { return [] }
            var annotations: [Int64: [String: String]] = [:]
            for row in try await tx.query("""
                SELECT a.item_index, u.name, a.label FROM annotations a JOIN users u ON u.id = a.user_id
                WHERE a.task_id = ? AND a.item_index BETWEEN ? AND ?
                """, taskID, try first.int("item_index"), try last.int("item_index")) {
                annotations[try row.int("item_index"), default: [:]][try row.text("name")] = try row.text("label")
            }
            return try rows.map { row in
                let index = try row.int("item_index")
                return LabelItem(index: index, key: try row.text("item_key"), content: try row.json("content"),
                                 annotations: annotations[index] ?? [:])
            }
        }
    }

    /// The next item the caller should label (not yet labelled by them, still short of annotations), or nil.
    public func nextLabelItem(_ principal: Principal, projectID: Int64, datasetID: Int64, taskID: Int64) async throws -> LabelItem? {
        let task = try await labelTask(principal, projectID: projectID, datasetID: datasetID, taskID: taskID)
        let row = try await store.read { tx in
            try await tx.first("""
                SELECT i.item_index FROM label_items i
                WHERE i.task_id = ?
                  AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = i.task_id AND a.item_index = i.item_index AND a.user_id = ?)
                  AND (SELECT COUNT(*) FROM annotations a WHERE a.task_id = i.task_id AND a.item_index = i.item_index) < ?
                ORDER BY i.item_index LIMIT 1
                """, taskID, principal.userID, task.annotationsPerItem)
        }
        guard let row else { return nil }
        let index = Int(try row.int("item_index"))
        return try await labelItems(principal, projectID: projectID, datasetID: datasetID, taskID: taskID, limit: 1, offset: index).first
    }

    /// Records (or replaces) the caller's label for an item (editors).
    public func annotate(_ principal: Principal, projectID: Int64, datasetID: Int64, taskID: Int64,
                         item: Int64, label: String) async throws -> LabelItem {
        try await accounts.require(principal, .editor, in: projectID)
        let dataset = try await get(principal, projectID: projectID, datasetID: datasetID)
        let task = try await labelTask(principal, projectID: projectID, datasetID: datasetID, taskID: taskID)
        guard task.status == "open" else {
            throw PlatformError(.conflict, code: "task_closed", "label task \(taskID) was exported; create a new task")
        }
        guard (0..<task.itemCount).contains(item) else {
            throw PlatformError(.notFound, code: "item_not_found", "label task \(taskID) has items 0…\(task.itemCount - 1), not \(item)")
        }
        let trimmed = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 1000 else { throw PlatformError.invalid("label", "must be 1–1000 characters") }
        if let classes = dataset.labelSchema?.classes, !classes.contains(trimmed) {
            throw PlatformError.invalid("label", "'\(trimmed)' is not one of the classes \(classes)")
        }
        try await store.write { tx in
            try await tx.execute("""
                INSERT INTO annotations (task_id, item_index, user_id, label, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (task_id, item_index, user_id) DO UPDATE SET label = excluded.label, created_at = excluded.created_at
                """, taskID, item, principal.userID, trimmed, Clock.nowMillis())
        }
        return try await labelItems(principal, projectID: projectID, datasetID: datasetID, taskID: taskID,
                                    limit: 1, offset: Int(item)).first!
    }

    /// All annotations of a task: item index → annotator id → label.
    func annotations(taskID: Int64) async throws -> [Int64: [String: String]] {
        try await store.read { tx in
            var result: [Int64: [String: String]] = [:]
            for row in try await tx.query("SELECT item_index, user_id, label FROM annotations WHERE task_id = ?", taskID) {
                result[try row.int("item_index"), default: [:]][String(try row.int("user_id"))] = try row.text("label")
            }
            return result
        }
    }

    /// Agreement between annotators of a task.
    public func labelAgreement(_ principal: Principal, projectID: Int64, datasetID: Int64, taskID: Int64) async throws -> LabelAgreement {
        _ = try await labelTask(principal, projectID: projectID, datasetID: datasetID, taskID: taskID)
        return LabelStatistics.agreement(try await annotations(taskID: taskID))
    }
}
