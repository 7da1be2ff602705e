import KouziBase
import KouziData

/// A table of text cells exactly as uploaded: a header and rows of optional strings (`nil` = missing).
///
/// This is the form the platform profiles, checks and cleans. It deliberately does not reuse
/// ``DataTable``: `DataTable` decides each column's type while reading and keeps only `Double`s for
/// numeric columns, so a cell such as `"12kg"` in a mostly numeric column either turns the whole column
/// categorical or is lost. Quality checks must see such cells as they were written, and cleaning must be
/// able to write the data back unchanged except for what each step did, so cells stay text here and are
/// parsed on demand. ``dataTable()`` converts to a `DataTable` for training.
///
/// ```swift
/// let table = try RawTable(contentsOfFile: "uploads/houses.csv")
/// let profile = try TableProfile(table: table)
/// let cleaned = try CleaningPipeline(steps: [.dropDuplicates(columns: nil)]).apply(to: table).table
/// try cleaned.write(to: "versions/houses-v2.csv")
/// ```
///
/// Rows are stored row-major, as CSV is; a 70,000 × 785 table of short cells takes about 1 GB.
public struct RawTable: Sendable, Equatable, Codable {
    /// The column names, in order; unique and non-empty as a list.
    public private(set) var header: [String]
    /// The rows; each has exactly `header.count` cells, `nil` marking a missing value.
    public private(set) var rows: [[String?]]

    /// Number of data rows.
    public var rowCount: Int { rows.count }
    /// Number of columns.
    public var columnCount: Int { header.count }

    /// A table from a header and rows.
    ///
    /// - Throws: ``TableError/emptyHeader(source:)``, ``TableError/duplicateColumn(source:name:first:second:)``,
    ///   or ``TableError/raggedRow(source:line:expected:got:)`` with the 1-based data row as `line`.
    public init(header: [String], rows: [[String?]]) throws {
        try Self.checkHeader(header, source: "<rows>")
        for (index, row) in rows.enumerated() where row.count != header.count {
            throw TableError.raggedRow(source: "<rows>", line: index + 1, expected: header.count, got: row.count)
        }
        self.header = header
        self.rows = rows
    }

    /// A table whose shape is already known to be valid.
    init(unchecked header: [String], rows: [[String?]]) {
        self.header = header
        self.rows = rows
    }

    /// Decodes `{"header": [...], "rows": [[...]]}`, checking the same invariants as ``init(header:rows:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(header: container.decode([String].self, forKey: .header),
                      rows: container.decode([[String?]].self, forKey: .rows))
    }

    private enum CodingKeys: String, CodingKey { case header, rows }

    static func checkHeader(_ header: [String], source: String) throws {
        guard !header.isEmpty, !(header.count == 1 && header[0].isEmpty) else {
            throw TableError.emptyHeader(source: source)
        }
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            if let earlier = seen[name] {
                throw TableError.duplicateColumn(source: source, name: name, first: earlier + 1, second: index + 1)
            }
            seen[name] = index
        }
    }

    /// The index of the column called `name`, or nil.
    public func columnIndex(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The index of the column called `name`.
    ///
    /// - Throws: ``TableError/unknownColumn(name:available:)`` listing the available columns.
    public func requireColumn(_ name: String) throws -> Int {
        guard let index = columnIndex(name) else { throw TableError.unknownColumn(name: name, available: header) }
        return index
    }

    /// The cells of the column called `name`, top to bottom.
    public func column(_ name: String) throws -> [String?] {
        let j = try requireColumn(name)
        return rows.map { $0[j] }
    }

    /// The cells of column `j`, top to bottom.
    func cells(_ j: Int) -> [String?] { rows.map { $0[j] } }

    /// The first `count` rows (all when fewer).
    public func prefix(_ count: Int) -> RawTable {
        RawTable(unchecked: header, rows: Array(rows.prefix(max(0, count))))
    }

    /// Converts to a ``DataTable``: a column is numeric when every non-missing cell parses as a number,
    /// categorical otherwise.
    public func dataTable() throws -> DataTable {
        var table = DataTable()
        for j in header.indices {
            let cells = cells(j)
            var numbers: [Double?] = []
            numbers.reserveCapacity(cells.count)
            var numeric = true
            for cell in cells {
                guard let cell else { numbers.append(nil); continue }
                guard let value = CellNumber.value(cell) else { numeric = false; break }
                numbers.append(value)
            }
            try table.setColumn(header[j], to: numeric ? .numeric(numbers) : .categorical(cells))
        }
        return table
    }
}
