import KouziBase
/// A table of named, typed columns of equal length, as read from a CSV file.
///
/// Each column is numeric (`Double?`) or categorical (`String?`); `nil` marks a missing value.
///
/// ```swift
/// let table = try CSVReader().read(file: "houses.csv")
/// let x = try table.selecting(["rooms", "area"]).toTensor()     // [rows, 2] float32
/// ```
public struct DataTable: Sendable, Equatable, Codable {
    /// The values of one column.
    public enum Column: Sendable, Equatable, Codable {
        /// Numbers; `nil` is missing.
        case numeric([Double?])
        /// Category labels or free text; `nil` is missing.
        case categorical([String?])

        /// Number of values (the table's row count).
        public var count: Int {
            switch self {
            case let .numeric(values): return values.count
            case let .categorical(values): return values.count
            }
        }

        /// Number of missing values.
        public var missingCount: Int {
            switch self {
            case let .numeric(values): return values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
            case let .categorical(values): return values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
            }
        }

        /// Whether the column holds numbers.
        public var isNumeric: Bool {
            if case .numeric = self { return true }
            return false
        }

        /// The numbers of a numeric column, or nil for a categorical one.
        public var numericValues: [Double?]? {
            if case let .numeric(values) = self { return values }
            return nil
        }

        /// The labels of a categorical column, or nil for a numeric one.
        public var categoricalValues: [String?]? {
            if case let .categorical(values) = self { return values }
            return nil
        }

        /// The values as text: numbers are written without a fractional part when they are integers.
        public var textValues: [String?] {
            switch self {
            case let .numeric(values): return values.map { $0.map(DataTable.categoryText) }
            case let .categorical(values): return values
            }
        }

        /// The 0-based index of the first missing value.
        var firstMissingIndex: Int? {
            switch self {
            case let .numeric(values): return values.firstIndex { $0 == nil }
            case let .categorical(values): return values.firstIndex { $0 == nil }
            }
        }

        func rows(_ indices: [Int]) -> Column {
            switch self {
            case let .numeric(values): return .numeric(indices.map { values[$0] })
            case let .categorical(values): return .categorical(indices.map { values[$0] })
            }
        }
    }

    /// The column names, in order.
    public private(set) var columnNames: [String]
    /// The columns, in the order of ``columnNames``.
    public private(set) var columns: [Column]
    /// Number of rows.
    public private(set) var rowCount: Int
    /// Each column name's index in ``columnNames`` (a wide table looks its columns up by name thousands of times).
    private var positions: [String: Int]

    /// Number of columns.
    public var columnCount: Int { columns.count }

    /// An empty table.
    public init() {
        columnNames = []
        columns = []
        rowCount = 0
        positions = [:]
    }

    enum CodingKeys: String, CodingKey { case columnNames, columns, rowCount }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        columnNames = try c.decode([String].self, forKey: .columnNames)
        columns = try c.decode([Column].self, forKey: .columns)
        rowCount = try c.decode(Int.self, forKey: .rowCount)
        positions = Dictionary(columnNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A table from named columns.
    ///
    /// - Throws: ``CSVError/columnLengthMismatch(name:expected:got:)`` when lengths differ, or
    ///   ``CSVError/duplicateColumn(source:name:first:second:)`` for a repeated name.
    public init(_ namedColumns: [(name: String, column: Column)]) throws {
        self.init()
        for (name, column) in namedColumns {
            if let existing = index(ofColumn: name) {
                throw CSVError.duplicateColumn(source: "<table>", name: name, first: existing + 1, second: columnNames.count + 1)
            }
            try setColumn(name, to: column)
        }
    }

    /// The index of the column called `name`, or nil.
    public func index(ofColumn name: String) -> Int? { positions[name] }

    /// The column called `name`, or nil.
    public subscript(name: String) -> Column? {
        index(ofColumn: name).map { columns[$0] }
    }

    /// The column called `name`.
    ///
    /// - Throws: ``CSVError/unknownColumn(name:available:)`` listing the available names.
    public func column(named name: String) throws -> Column {
        guard let index = index(ofColumn: name) else {
            throw CSVError.unknownColumn(name: name, available: columnNames)
        }
        return columns[index]
    }

    /// A table with only the named columns, in the given order.
    public func selecting(_ names: [String]) throws -> DataTable {
        try DataTable(names.map { ($0, try column(named: $0)) })
    }

    /// A table without the named columns.
    public func dropping(_ names: [String]) throws -> DataTable {
        for name in names where index(ofColumn: name) == nil {
            throw CSVError.unknownColumn(name: name, available: columnNames)
        }
        let dropped = Set(names)
        return try selecting(columnNames.filter { !dropped.contains($0) })
    }

    /// A table with the rows at `indices` (in that order; repeats allowed).
    ///
    /// - Throws: ``CSVError/rowOutOfRange(index:rowCount:)``.
    public func rows(_ indices: [Int]) throws -> DataTable {
        if let bad = indices.first(where: { $0 < 0 || $0 >= rowCount }) {
            throw CSVError.rowOutOfRange(index: bad, rowCount: rowCount)
        }
        var result = self
        result.columns = try columns.map { column in
            try StopRequest.check()
            return column.rows(indices)
        }
        result.rowCount = indices.count
        return result
    }

    /// Replaces the column called `name`, or appends it when the table has none of that name.
    ///
    /// - Throws: ``CSVError/columnLengthMismatch(name:expected:got:)`` unless the table is empty of
    ///   columns or the length equals ``rowCount``.
    public mutating func setColumn(_ name: String, to column: Column) throws {
        if columns.isEmpty {
            rowCount = column.count
        } else if column.count != rowCount {
            throw CSVError.columnLengthMismatch(name: name, expected: rowCount, got: column.count)
        }
        if let index = index(ofColumn: name) {
            columns[index] = column
        } else {
            positions[name] = columnNames.count
            columnNames.append(name)
            columns.append(column)
        }
    }

    /// Removes the column called `name`.
    public mutating func removeColumn(_ name: String) throws {
        guard let index = index(ofColumn: name) else {
            throw CSVError.unknownColumn(name: name, available: columnNames)
        }
        columnNames.remove(at: index)
        columns.remove(at: index)
        positions[name] = nil
        for (later, shifted) in columnNames.enumerated().dropFirst(index) { positions[shifted] = later }
        if columns.isEmpty { rowCount = 0 }
    }

    /// Text for a number used as a category: `3.0` becomes `"3"`, other values print as Swift does.
    package static func categoryText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
