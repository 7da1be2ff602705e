import KouziBase
import KouziData

/// An error reading, writing or describing a ``RawTable``.
///
/// Messages name the source and line for input errors, and the column (with the available columns) for
/// look-ups, so the server can return them to the user as they are.
public enum TableError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The header is absent (no records at all) or has no fields.
    case emptyHeader(source: String)
    /// Two header fields with the same name (1-based field positions).
    case duplicateColumn(source: String, name: String, first: Int, second: Int)
    /// A record with a different number of fields than the header; `line` is the 1-based input line
    /// (or, for tables built in memory, the 1-based data row with `source` "<rows>").
    case raggedRow(source: String, line: Int, expected: Int, got: Int)
    /// The CSV text itself is malformed (unterminated quote, invalid UTF-8, …).
    case malformedCSV(CSVError)
    /// A file could not be read or written.
    case fileError(path: String, reason: String)
    /// A column name the table does not have.
    case unknownColumn(name: String, available: [String])
    /// A parameter outside its domain (such as a histogram with no bins).
    case invalidParameter(name: String, reason: String)

    public var description: String {
        switch self {
        case let .emptyHeader(source):
            return "\(source): empty header: the first record must name at least one column"
        case let .duplicateColumn(source, name, first, second):
            return "\(source):1: duplicate column name '\(name)' in header fields \(first) and \(second)"
        case let .raggedRow(source, line, expected, got):
            return "\(source):\(line): expected \(expected) fields (one per header column), found \(got)"
        case let .malformedCSV(error):
            return error.description
        case let .fileError(path, reason):
            return "cannot access '\(path)': \(reason)"
        case let .unknownColumn(name, available):
            return "unknown column '\(name)'; available columns: \(TableError.list(available))"
        case let .invalidParameter(name, reason):
            return "invalid parameter '\(name)': \(reason)"
        }
    }

    /// A column list for messages, shortened after 30 names.
    static func list(_ names: [String]) -> String {
        if names.count <= 30 { return names.joined(separator: ", ") }
        return names.prefix(30).joined(separator: ", ") + ", … (\(names.count) columns)"
    }
}
