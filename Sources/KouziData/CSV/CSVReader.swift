import KouziBase

/// Reads CSV text into a ``DataTable``, inferring which columns are numeric.
///
/// A column is numeric when every value that is not missing parses as a number; otherwise it is
/// categorical. ``columnTypes`` overrides the inference per column, and a value that does not parse in a
/// column declared numeric is an error naming its line and column. Values equal (after trimming spaces)
/// to one of ``missingMarkers`` are missing.
///
/// ```swift
/// let table = try CSVReader(delimiter: ";", columnTypes: ["zip": .categorical]).read(file: "people.csv")
/// ```
public struct CSVReader: Sendable {
    /// How a column's values are stored.
    public enum ColumnType: String, Sendable, Codable, CaseIterable {
        /// Numbers (`Double`).
        case numeric
        /// Text labels (`String`).
        case categorical
    }

    /// The markers of a missing value in the default configuration.
    public static let defaultMissingMarkers: Set<String> = ["", "NA", "N/A", "NaN", "nan", "?", "null", "NULL"]

    /// The field separator (one ASCII character).
    public var delimiter: Character
    /// Whether the first record names the columns.
    public var hasHeader: Bool
    /// Field values (after trimming spaces) that mean "missing".
    public var missingMarkers: Set<String>
    /// Declared types by column name, overriding inference.
    public var columnTypes: [String: ColumnType]
    /// Whether to trim spaces and tabs around categorical values (numbers are always trimmed).
    public var trimsWhitespace: Bool
    /// Names for the columns of a headerless file; `column1`, `column2`, … when nil.
    public var columnNames: [String]?

    /// Creates a reader.
    public init(delimiter: Character = ",", hasHeader: Bool = true,
                missingMarkers: Set<String> = CSVReader.defaultMissingMarkers,
                columnTypes: [String: ColumnType] = [:], trimsWhitespace: Bool = false,
                columnNames: [String]? = nil) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.missingMarkers = missingMarkers
        self.columnTypes = columnTypes
        self.trimsWhitespace = trimsWhitespace
        self.columnNames = columnNames
    }

    /// Reads the CSV file at `path`; a gzip-compressed file is decompressed first.
    public func read(file path: String) throws -> DataTable {
        var bytes: [UInt8]
        do { bytes = try FileBytes.contents(of: path) } catch {
            throw CSVError.unreadableFile(path: path, reason: error.reason)
        }
        if Gzip.isGzip(bytes) {
            do { bytes = try Gzip.decompress(bytes) } catch {
                throw CSVError.unreadableFile(path: path, reason: "\(error)")
            }
        }
        return try read(bytes: bytes, source: path)
    }

    /// Reads CSV text held in a string.
    public func read(string: String, source: String = "<string>") throws -> DataTable {
        try read(bytes: Array(string.utf8), source: source)
    }

    /// Reads CSV text held as UTF-8 bytes; `source` names the input in error messages.
    public func read(bytes: [UInt8], source: String = "<bytes>") throws -> DataTable {
        let records = try CSVParser(delimiter: delimiter, source: source).parse(bytes)
        guard let first = records.first else { throw CSVError.emptyInput(source: source) }
        let width = first.fields.count
        let names = try resolveNames(first: first, source: source)
        for name in columnTypes.keys where !names.contains(name) {
            throw CSVError.unknownColumn(name: name, available: names)
        }
        let body = hasHeader ? records.dropFirst() : records[...]
        for record in body where record.fields.count != width {
            throw CSVError.raggedRow(source: source, line: record.line, expected: width, got: record.fields.count)
        }
        var table = DataTable()
        for (j, name) in names.enumerated() {
            try StopRequest.check()
            let column = try makeColumn(body, field: j, name: name, source: source)
            try table.setColumn(name, to: column)
        }
        return table
    }

    private func resolveNames(first: CSVRecord, source: String) throws -> [String] {
        let width = first.fields.count
        var names: [String]
        if hasHeader {
            names = first.fields.enumerated().map { index, raw in
                let name = raw.trimmingSpaces()
                return name.isEmpty ? "column\(index + 1)" : name
            }
        } else if let given = columnNames {
            guard given.count == width else {
                throw CSVError.columnNameCount(source: source, expected: width, got: given.count)
            }
            names = given
        } else {
            names = (1...max(width, 1)).map { "column\($0)" }
        }
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if let earlier = seen[name] {
                throw CSVError.duplicateColumn(source: source, name: name, first: earlier + 1, second: index + 1)
            }
            seen[name] = index
        }
        return names
    }

    private func makeColumn(_ body: ArraySlice<CSVRecord>, field j: Int, name: String, source: String) throws -> DataTable.Column {
        let declared = columnTypes[name]
        if declared != .categorical {
            var numbers: [Double?] = []
            numbers.reserveCapacity(body.count)
            var isNumeric = true
            for record in body {
                let trimmed = record.fields[j].trimmingSpaces()
                if missingMarkers.contains(trimmed) {
                    numbers.append(nil)
                } else if let value = Double(trimmed) {
                    numbers.append(value.isNaN ? nil : value)
                } else if declared == .numeric {
                    throw CSVError.nonNumericValue(source: source, line: record.line, column: j + 1,
                                                   name: name, value: record.fields[j])
                } else {
                    isNumeric = false
                    break
                }
            }
            if isNumeric { return .numeric(numbers) }
        }
        return .categorical(body.map { record in
            let value = record.fields[j]
            if missingMarkers.contains(value.trimmingSpaces()) { return nil }
            return trimsWhitespace ? value.trimmingSpaces() : value
        })
    }
}
