import KouziBase
import KouziData

extension RawTable {
    /// The cell texts that mean "missing" when reading: `""`, `NA`, `N/A`, `NaN`, `nan`, `?`, `null`,
    /// `NULL` (compared after trimming spaces and tabs; the same set as ``CSVReader``).
    public static let defaultMissingMarkers: Set<String> = CSVReader.defaultMissingMarkers

    /// Reads CSV text held as UTF-8 bytes; the first record is the header.
    ///
    /// Tokenizing is ``CSVParser``'s (RFC 4180 quoting, LF/CRLF/CR, BOM); cells equal to one of
    /// `missingMarkers` become `nil`, other cells are kept exactly as written (no trimming).
    ///
    /// - Throws: ``TableError/malformedCSV(_:)`` for quoting or encoding errors,
    ///   ``TableError/emptyHeader(source:)``, ``TableError/duplicateColumn(source:name:first:second:)``,
    ///   or ``TableError/raggedRow(source:line:expected:got:)`` naming the input line.
    public init(csv bytes: [UInt8], delimiter: Character = ",", source: String = "<bytes>",
                missingMarkers: Set<String> = RawTable.defaultMissingMarkers) throws {
        var records: [CSVRecord]
        do {
            records = try CSVParser(delimiter: delimiter, source: source).parse(bytes)
        } catch let error as CSVError {
            throw TableError.malformedCSV(error)
        }
        guard let first = records.first else { throw TableError.emptyHeader(source: source) }
        let header = first.fields
        try Self.checkHeader(header, source: source)
        let markers = MissingMarkers(missingMarkers)
        var rows: [[String?]] = []
        rows.reserveCapacity(records.count - 1)
        for index in records.indices.dropFirst() {
            let line = records[index].line
            // Take the fields out of the record so the two copies of the data do not coexist.
            let fields = records[index].fields
            records[index].fields = []
            guard fields.count == header.count else {
                throw TableError.raggedRow(source: source, line: line, expected: header.count, got: fields.count)
            }
            rows.append(fields.map { markers.contains($0) ? nil : $0 })
        }
        self.init(unchecked: header, rows: rows)
    }

    /// Reads CSV text held in a string.
    public init(csv text: String, delimiter: Character = ",", source: String = "<string>",
                missingMarkers: Set<String> = RawTable.defaultMissingMarkers) throws {
        try self.init(csv: Array(text.utf8), delimiter: delimiter, source: source, missingMarkers: missingMarkers)
    }

    /// Reads the CSV file at `path`; a gzip-compressed file is decompressed first.
    public init(contentsOfFile path: String, delimiter: Character = ",",
                missingMarkers: Set<String> = RawTable.defaultMissingMarkers) throws {
        var bytes: [UInt8]
        do { bytes = try FileBytes.contents(of: path) } catch {
            throw TableError.fileError(path: path, reason: error.reason)
        }
        if Gzip.isGzip(bytes) {
            do { bytes = try Gzip.decompress(bytes) } catch {
                throw TableError.fileError(path: path, reason: "\(error)")
            }
        }
        try self.init(csv: bytes, delimiter: delimiter, source: path, missingMarkers: missingMarkers)
    }

    /// The table as RFC 4180 CSV: comma-separated, CRLF-free (`\n` line ends), fields containing the
    /// delimiter, a quote, CR or LF (or with leading/trailing spaces) quoted with `""` escaping, and
    /// missing cells written as empty fields.
    ///
    /// Reading the result back with the default markers gives an equal table, except that cells whose
    /// text is itself a missing marker (such as `"NA"`) come back as `nil`.
    public func csvData(delimiter: Character = ",") -> [UInt8] {
        let d = delimiter.asciiValue ?? UInt8(ascii: ",")
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * max(header.count, 1) * 4 + 64)
        func appendField(_ text: String) {
            var needsQuotes = false
            for b in text.utf8 where b == d || b == 0x22 || b == 0x0A || b == 0x0D {
                needsQuotes = true
                break
            }
            if let first = text.utf8.first, let last = text.utf8.last,
               first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 {
                needsQuotes = true
            }
            if !needsQuotes {
                out.append(contentsOf: text.utf8)
                return
            }
            out.append(0x22)
            for b in text.utf8 {
                if b == 0x22 { out.append(0x22) }
                out.append(b)
            }
            out.append(0x22)
        }
        func appendRecord(_ fields: [String?]) {
            if fields.count == 1, (fields[0] ?? "").isEmpty {
                // A single empty field would be a blank line, which readers skip.
                out.append(contentsOf: [0x22, 0x22, 0x0A])
                return
            }
            for (index, field) in fields.enumerated() {
                if index > 0 { out.append(d) }
                if let field { appendField(field) }
            }
            out.append(0x0A)
        }
        appendRecord(header)
        for row in rows { appendRecord(row) }
        return out
    }

    /// The table as CSV text (see ``csvData(delimiter:)``).
    public func csvString(delimiter: Character = ",") -> String {
        String(decoding: csvData(delimiter: delimiter), as: UTF8.self)
    }

    /// Writes the table as CSV to `path`, replacing any file there.
    ///
    /// - Throws: ``TableError/fileError(path:reason:)`` with the system's reason.
    public func write(to path: String, delimiter: Character = ",") throws {
        let bytes = csvData(delimiter: delimiter)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw TableError.fileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                posixWrite(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw TableError.fileError(path: path, reason: String(cString: strerror(errno)))
            }
            written += result
        }
    }
}

/// `write(2)`, callable from inside a type that has a `write` method.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
