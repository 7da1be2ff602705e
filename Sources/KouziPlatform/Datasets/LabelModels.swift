import KouziBase
import KouziNN

/// A labelling task over the unlabelled rows (tables) or files (image and audio folders) of one version.
public struct LabelTask: Sendable, Codable, Equatable {
    public var id: Int64
    public var datasetID: Int64
    public var versionNumber: Int64
    /// The column (tables) the labels go to.
    public var labelColumn: String
    /// How many people should label each item.
    public var annotationsPerItem: Int64
    /// `open` or `exported`.
    public var status: String
    public var itemCount: Int64
    public var createdBy: Int64
    public var createdAt: Int64
    /// Items with at least one annotation.
    public var annotatedItems: Int64
    /// Items with `annotationsPerItem` annotations.
    public var completeItems: Int64
    /// Annotations in all.
    public var annotationCount: Int64

    init(row: SQLRow) throws {
        id = try row.int("id")
        datasetID = try row.int("dataset_id")
        versionNumber = try row.int("version_number")
        labelColumn = try row.text("label_column")
        annotationsPerItem = try row.int("annotations_per_item")
        status = try row.text("status")
        itemCount = try row.int("item_count")
        createdBy = try row.int("created_by")
        createdAt = try row.int("created_at")
        annotatedItems = try row.optionalInt("annotated_items") ?? 0
        completeItems = try row.optionalInt("complete_items") ?? 0
        annotationCount = try row.optionalInt("annotation_count") ?? 0
    }
}

/// One item to label: its index in the task, its key (row number or file path) and what to show.
public struct LabelItem: Sendable, Codable, Equatable {
    public var index: Int64
    /// Row number (tables) or path inside the archive (files).
    public var key: String
    /// Row values by column (tables) or `{"path": …}` (files).
    public var content: JSONValue
    /// Annotator name → label.
    public var annotations: [String: String]
}

/// How much annotators agree, and what the labels come to.
public struct LabelAgreement: Sendable, Codable, Equatable {
    /// Items annotated by at least two people.
    public var itemsWithSeveralAnnotators: Int
    /// The share of agreeing annotator pairs on those items.
    public var percentAgreement: Double?
    /// Krippendorff's alpha (nominal), chance-corrected; nil when undefined (fewer than two pairable values).
    public var krippendorffAlpha: Double?
    /// Cohen's kappa when exactly two annotators took part.
    public var cohenKappa: Double?
}
