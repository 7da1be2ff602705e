/// Examples read from disk, before any fitted transform: what a data kind's reader gives and its task's trainers
/// take (a table, labelled images, audio clips, sentence pairs …).
public protocol TrainingExamples: Sendable {
    /// The number of examples.
    var count: Int { get }
    /// Where they came from, for messages.
    var source: String { get }
}

/// A kind of data the platform trains on, registered by the task library that reads it.
public struct DataKind: Sendable {
    /// The kind's name (`table`, `images`), as data set versions carry it.
    public let id: String
    /// What the kind holds, for people.
    public let summary: String
    /// The upload formats it reads.
    public let formats: [String]
    /// Reads a data set of this kind into examples.
    public let read: @Sendable (TrainingDataSource) throws -> any TrainingExamples

    /// A data kind named `id`, read from `formats` by `read`.
    public init(id: String, summary: String, formats: [String], read: @escaping @Sendable (TrainingDataSource) throws -> any TrainingExamples) {
        self.id = id
        self.summary = summary
        self.formats = formats
        self.read = read
    }
}
