/// An error reading CSV text or using a ``DataTable``.
///
/// Messages start with `source:line:column` where a position is known, so an editor can jump to it:
/// `iris.csv:17:3: unterminated quoted field: …`.
public enum CSVError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened, read or decompressed.
    case unreadableFile(path: String, reason: String)
    /// The input holds no records (empty, or only blank lines).
    case emptyInput(source: String)
    /// The delimiter is not a single ASCII character other than a quote, CR or LF.
    case invalidDelimiter(String)
    /// Bytes that are not valid UTF-8.
    case invalidUTF8(source: String, line: Int, column: Int)
    /// A quoted field that is still open at the end of the input; `line`/`column` give the opening quote.
    case unterminatedQuote(source: String, line: Int, column: Int)
    /// A character other than a delimiter or line break right after a closing quote.
    case unexpectedCharacterAfterQuote(source: String, line: Int, column: Int, character: String)
    /// A record with a different number of fields than the header (or the first record).
    case raggedRow(source: String, line: Int, expected: Int, got: Int)
    /// Two header fields with the same name (1-based field positions).
    case duplicateColumn(source: String, name: String, first: Int, second: Int)
    /// The number of names given for a headerless file differs from the number of fields.
    case columnNameCount(source: String, expected: Int, got: Int)
    /// A value that is not a number in a column declared numeric.
    case nonNumericValue(source: String, line: Int, column: Int, name: String, value: String)
    /// A column name that the table does not have.
    case unknownColumn(name: String, available: [String])
    /// A column whose length differs from the table's row count.
    case columnLengthMismatch(name: String, expected: Int, got: Int)
    /// Missing values where complete data is needed; `firstRow` is the 1-based data row.
    case missingValues(column: String, count: Int, firstRow: Int, operation: String)
    /// A categorical column where numbers are needed.
    case categoricalColumn(name: String, operation: String)
    /// A value that is not an integer where class ids are needed; `row` is the 1-based data row.
    case nonIntegerValue(column: String, row: Int, value: Double)
    /// A row index outside the table.
    case rowOutOfRange(index: Int, rowCount: Int)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason):
            return "cannot read CSV file '\(path)': \(reason)"
        case let .emptyInput(source):
            return "\(source): empty input: no header and no records"
        case let .invalidDelimiter(delimiter):
            return "invalid CSV delimiter \(delimiter.debugDescription): use one ASCII character other than '\"', CR or LF"
        case let .invalidUTF8(source, line, column):
            return "\(source):\(line):\(column): invalid UTF-8 in field"
        case let .unterminatedQuote(source, line, column):
            return "\(source):\(line):\(column): unterminated quoted field: the quote opened here is never closed"
        case let .unexpectedCharacterAfterQuote(source, line, column, character):
            return "\(source):\(line):\(column): unexpected \(character.debugDescription) after a closing quote "
                + "(expected a delimiter or a line break; write a quote inside a quoted field as \"\")"
        case let .raggedRow(source, line, expected, got):
            return "\(source):\(line): expected \(expected) fields, found \(got)"
        case let .duplicateColumn(source, name, first, second):
            return "\(source):1: duplicate column name '\(name)' in header fields \(first) and \(second)"
        case let .columnNameCount(source, expected, got):
            return "\(source): \(got) column names were given for records of \(expected) fields"
        case let .nonNumericValue(source, line, column, name, value):
            return "\(source):\(line): column \(column) ('\(name)'): non-numeric value \(value.debugDescription) in a column declared numeric"
        case let .unknownColumn(name, available):
            return "unknown column '\(name)'; available columns: \(available.joined(separator: ", "))"
        case let .columnLengthMismatch(name, expected, got):
            return "column '\(name)' has \(got) values but the table has \(expected) rows"
        case let .missingValues(column, count, firstRow, operation):
            return "\(operation): column '\(column)' has \(count) missing value\(count == 1 ? "" : "s") "
                + "(first in data row \(firstRow)); impute or drop them first"
        case let .categoricalColumn(name, operation):
            return "\(operation): column '\(name)' is categorical; encode it (OneHotEncoder, LabelEncoder) first"
        case let .nonIntegerValue(column, row, value):
            return "column '\(column)' data row \(row): \(value) is not an integer class id"
        case let .rowOutOfRange(index, rowCount):
            return "row index \(index) is out of range for a table of \(rowCount) rows"
        }
    }
}
