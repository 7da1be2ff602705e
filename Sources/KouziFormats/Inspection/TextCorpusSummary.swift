/// The profile of a text corpus: one document per file.
///
/// Tokens are runs of non-whitespace (ASCII whitespace separates them); characters are Unicode scalars.
/// A leading UTF-8 byte-order mark is ignored. When files sit in folders, the first folder below an
/// optional wrapping folder names each document's class.
///
/// ```swift
/// let summary = try TextCorpusSummary.inspect(paths: ["a.txt", "b.txt"])
/// print(summary.tokens, summary.vocabularySize)
/// ```
public struct TextCorpusSummary: Sendable, Codable, Equatable {
    /// The number of documents (files).
    public var documents: Int
    /// The number of lines (a final line without a newline counts).
    public var lines: Int
    /// The number of whitespace-separated tokens.
    public var tokens: Int
    /// The number of Unicode scalars.
    public var characters: Int
    /// The number of bytes.
    public var bytes: Int
    /// The number of distinct tokens.
    public var vocabularySize: Int
    /// The encoding every file was checked against.
    public var encoding: String
    /// Document counts per class, when files lie in class folders; empty otherwise.
    public var classes: [ClassCount]

    /// Profiles the files of an archive.
    ///
    /// - Throws: ``ZipError`` when an entry fails extraction, ``InspectionError/invalidUTF8(file:offset:)``
    ///   for a file that is not UTF-8.
    public static func inspect(_ archive: ZipArchive) throws -> TextCorpusSummary {
        try inspect(DatasetFile.entries(of: archive), source: archive.name)
    }

    /// Profiles text files on disk.
    public static func inspect(paths: [String]) throws -> TextCorpusSummary {
        try inspect(paths.map { DatasetFile.file(atPath: $0) }, source: paths.first ?? "<none>", errorNames: paths)
    }

    /// Profiles a list of files.
    public static func inspect(_ files: [DatasetFile], source: String) throws -> TextCorpusSummary {
        try inspect(files, source: source, errorNames: files.map(\.path))
    }

    private static func inspect(_ files: [DatasetFile], source: String, errorNames: [String]) throws -> TextCorpusSummary {
        guard !files.isEmpty else { throw InspectionError.noUsableFiles(source: source, kind: "text", rejected: 0) }
        let layout = ClassLayout(paths: files.map(\.components))
        var summary = TextCorpusSummary(documents: 0, lines: 0, tokens: 0, characters: 0, bytes: 0, vocabularySize: 0,
                                        encoding: "utf-8", classes: [])
        var vocabulary = Set<[UInt8]>()
        var labels: [String] = []
        for (file, errorName) in zip(files, errorNames) {
            var data = try file.load()
            if let bad = UTF8Validation.firstInvalidOffset(data) { throw InspectionError.invalidUTF8(file: errorName, offset: bad) }
            if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
            summary.documents += 1
            summary.bytes += data.count
            var token: [UInt8] = []
            for byte in data {
                if byte & 0xC0 != 0x80 { summary.characters += 1 }
                if byte == 0x0A { summary.lines += 1 }
                if ImageFormat.isSpace(byte) {
                    if !token.isEmpty {
                        summary.tokens += 1
                        vocabulary.insert(token)
                        token.removeAll(keepingCapacity: true)
                    }
                } else {
                    token.append(byte)
                }
            }
            if !token.isEmpty {
                summary.tokens += 1
                vocabulary.insert(token)
            }
            if let last = data.last, last != 0x0A { summary.lines += 1 }
            if layout.relative(file.components).count >= 2 { labels.append(layout.relative(file.components)[0]) }
        }
        summary.vocabularySize = vocabulary.count
        summary.classes = Tally.classes(labels)
        return summary
    }
}
