/// Where a data set lies on disk and what it holds: its data kind (`table`, `images`, …), the format its files are
/// in (`csv`, `idx`, `image-folder`, …) and the files. A data kind's reader turns it into examples.
public struct TrainingDataSource: Sendable, Equatable {
    /// The data kind, as the catalogue names it.
    public var kind: String
    /// The upload format of the files.
    public var format: String
    /// The files (or folders) of the data set.
    public var files: [String]

    /// A source of `kind` in `format` made of `files`.
    public init(kind: String, format: String, files: [String]) {
        self.kind = kind
        self.format = format
        self.files = files
    }

    /// A CSV table with a header row.
    public static func csv(path: String) -> TrainingDataSource { .init(kind: "table", format: "csv", files: [path]) }

    /// An IDX images file and its IDX labels file.
    public static func idx(images: String, labels: String) -> TrainingDataSource {
        .init(kind: "images", format: "idx", files: [images, labels])
    }

    /// The files, for messages.
    public var name: String { files.joined(separator: " and ") }
}
