extension Dataset where Element == CSVRecord {
    /// The records of a CSV file, parsed incrementally with ``CSVParser`` from chunks of `chunkSize`
    /// bytes, so that a file of any size streams in bounded memory; a gzip-compressed file is
    /// decompressed as it is read.
    ///
    /// Records keep the line on which they start, for messages about their values. A header is an
    /// ordinary first record: `skip(1)` drops it.
    ///
    /// ```swift
    /// let rows = Dataset.csvRecords(file: "trips.csv").skip(1).map { record in
    ///     Example(inputs: [Tensor(record.fields[1...].map { Float($0) ?? 0 })], targets: [Tensor(Float(record.fields[0])!)])
    /// }
    /// ```
    ///
    /// - Throws (from ``DatasetIterator/next()``): ``DatasetError/unreadableFile(path:reason:)``,
    ///   ``CSVError/invalidDelimiter(_:)``, or a ``CSVError`` naming the file, line and column of
    ///   malformed input.
    public static func csvRecords(file path: String, delimiter: Character = ",",
                                  chunkSize: Int = 1 << 20) -> Dataset<CSVRecord> {
        Dataset(count: nil) { _ in
            let reader = CSVRecordReader(path: path, delimiter: delimiter, chunkSize: chunkSize)
            return DatasetIterator(reader.next)
        }
    }
}

/// Parses the chunks of a file into CSV records, a chunk's worth at a time.
private final class CSVRecordReader {
    private let path: String
    private let delimiter: Character
    private let chunkSize: Int
    private var parser: CSVParser?
    private var file: FileChunks?
    private var unparsed: [UInt8] = []
    private var records: [CSVRecord] = []
    private var position = 0
    private var line = 1
    private var atStart = true
    private var ended = false

    init(path: String, delimiter: Character, chunkSize: Int) {
        self.path = path
        self.delimiter = delimiter
        self.chunkSize = chunkSize
    }

    func next() throws -> CSVRecord? {
        if parser == nil {
            parser = try CSVParser(delimiter: delimiter, source: path)
            file = try FileChunks(path: path, chunkSize: chunkSize)
        }
        while position == records.count {
            guard !ended, let parser else { return nil }
            // Read at least as much again as is waiting, so a record longer than a chunk is not
            // re-parsed once per chunk.
            let wanted = unparsed.count * 2
            repeat {
                guard let chunk = try file?.next() else {
                    ended = true
                    file = nil
                    break
                }
                unparsed.append(contentsOf: chunk)
            } while unparsed.count < wanted
            let parsed = try unparsed.withUnsafeBufferPointer {
                try parser.parsePrefix($0, isFinal: ended, firstLine: line, atStart: atStart)
            }
            unparsed.removeFirst(parsed.consumed)
            if parsed.consumed > 0 { atStart = false }
            line = parsed.nextLine
            records = parsed.records
            position = 0
        }
        defer { position += 1 }
        return records[position]
    }
}
