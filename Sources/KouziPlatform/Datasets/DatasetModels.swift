import KouziBase
import KouziNN

/// A named collection of immutable versions in a project.
public struct Dataset: Sendable, Codable, Equatable {
    public var id: Int64
    public var projectID: Int64
    public var name: String
    public var description: String
    /// How rows or files of this dataset are labelled, once defined.
    public var labelSchema: LabelSchema?
    public var createdBy: Int64
    public var createdAt: Int64
    /// The newest version's number (0 when there is none yet).
    public var latestVersion: Int64

    init(row: SQLRow) throws {
        id = try row.int("id")
        projectID = try row.int("project_id")
        name = try row.text("name")
        description = try row.text("description")
        labelSchema = try row.optionalJSON("label_schema")
        createdBy = try row.int("created_by")
        createdAt = try row.int("created_at")
        latestVersion = try row.optionalInt("latest_version") ?? 0
    }
}

/// One file of a dataset version.
public struct DatasetFile: Sendable, Codable, Equatable {
    /// The file's name inside the version.
    public var name: String
    /// Lower-case hex sha256 of its content (its address in the artifact store).
    public var sha256: String
    /// Size in bytes.
    public var size: Int64

    /// Creates a file entry.
    public init(name: String, sha256: String, size: Int64) {
        self.name = name
        self.sha256 = sha256
        self.size = size
    }
}

/// The upload formats a dataset version can come from.
public enum DatasetFormat: String, Sendable, Codable, CaseIterable {
    /// One CSV file with a header row.
    case csv
    /// An IDX images file and an IDX labels file (gzipped or not), as MNIST ships.
    case idx
    /// A ZIP of images in one folder per class.
    case imageFolder = "image-folder"
    /// A ZIP of WAV files, in class folders or named `CLASS_…`.
    case audioFolder = "audio-folder"
    /// Text files (or a ZIP of them).
    case text

    /// Parses a format name with a precise error.
    public static func parse(_ text: String) throws -> DatasetFormat {
        guard let format = DatasetFormat(rawValue: text) else {
            throw PlatformError.invalid("format", "'\(text)' is not one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return format
    }
}

/// An immutable version: its files, what inspection found, and the operation that made it from its parent.
public struct DatasetVersion: Sendable, Codable, Equatable {
    public var datasetID: Int64
    public var number: Int64
    /// The version this one was derived from (nil for uploads).
    public var parentNumber: Int64?
    public var format: String
    /// `table`, `images`, `audio` or `text`.
    public var kind: String
    /// sha256 over the sorted file names and hashes: equal content, equal hash.
    public var contentHash: String
    public var files: [DatasetFile]
    public var size: Int64
    /// Rows (tables), images, recordings or documents.
    public var rowCount: Int64
    /// Schema and class information found by inspection.
    public var summary: JSONValue
    /// What produced this version: `{"type": "upload"}`, `{"type": "clean", "pipeline": …}`, `{"type": "label", …}`.
    public var operation: JSONValue
    public var createdBy: Int64
    public var createdAt: Int64

    init(row: SQLRow) throws {
        datasetID = try row.int("dataset_id")
        number = try row.int("number")
        parentNumber = try row.optionalInt("parent_number")
        format = try row.text("format")
        kind = try row.text("kind")
        contentHash = try row.text("content_hash")
        files = try row.json("files")
        size = try row.int("size")
        rowCount = try row.int("row_count")
        summary = try row.json("summary")
        operation = try row.json("operation")
        createdBy = try row.int("created_by")
        createdAt = try row.int("created_at")
    }
}

/// How a dataset is labelled: a column to fill, with a fixed set of classes or free text.
public struct LabelSchema: Sendable, Codable, Equatable {
    /// `classes` or `text`.
    public var type: String
    /// The allowed labels for `classes`.
    public var classes: [String]?
    /// The column (tables) that holds the label.
    public var column: String

    /// Creates and checks a schema.
    public init(type: String, classes: [String]?, column: String) throws {
        guard type == "classes" || type == "text" else {
            throw PlatformError.invalid("type", "'\(type)' is not one of classes, text")
        }
        if type == "classes" {
            guard let classes, classes.count >= 2, Set(classes).count == classes.count, !classes.contains("") else {
                throw PlatformError.invalid("classes", "give at least two distinct, non-empty class names")
            }
        } else if classes != nil {
            throw PlatformError.invalid("classes", "only a schema of type 'classes' has classes")
        }
        guard !column.isEmpty else { throw PlatformError.invalid("column", "must not be empty") }
        self.type = type
        self.classes = type == "classes" ? classes : nil
        self.column = column
    }
}
