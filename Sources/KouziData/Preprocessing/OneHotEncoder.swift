import KouziBase
import KouziTensor

/// Encodes categorical columns of a ``DataTable`` as 0/1 indicator columns, one per category.
///
/// Categories are learned by ``fit(_:columns:)`` and sorted. Numeric columns may be encoded too: their
/// values become categories written as text (`3.0` as `"3"`). Indicator columns are named
/// `column_category`, as scikit-learn names them.
///
/// ```swift
/// var encoder = OneHotEncoder(handleUnknown: .ignore)
/// try encoder.fit(train, columns: ["color"])
/// let x = try encoder.transform(test).toTensor()
/// ```
public struct OneHotEncoder: Sendable, Codable, Equatable {
    /// What to do with a category that was not seen during fitting.
    public enum UnknownCategoryPolicy: String, Sendable, Codable, CaseIterable {
        /// Throw ``PreprocessingError/unknownCategory(column:value:row:known:)``.
        case error
        /// Encode the value as all zeros.
        case ignore
    }

    /// The policy for unseen categories.
    public var handleUnknown: UnknownCategoryPolicy
    /// The encoded columns, in fitting order; empty before ``fit(_:columns:)``.
    public private(set) var columns: [String] = []
    /// The sorted categories of each encoded column.
    public private(set) var categories: [[String]] = []

    /// Creates an unfitted encoder.
    public init(handleUnknown: UnknownCategoryPolicy = .error) {
        self.handleUnknown = handleUnknown
    }

    /// The names of the indicator columns, in output order.
    public var featureNames: [String] { featureNamesByColumn.flatMap { $0 } }

    /// The names of each encoded column's indicator columns, in the order of ``columns``.
    public var featureNamesByColumn: [[String]] {
        zip(columns, categories).map { column, values in values.map { "\(column)_\($0)" } }
    }

    /// Learns the categories of the named columns (all categorical columns when nil).
    ///
    /// - Throws: ``CSVError/unknownColumn(name:available:)``, or
    ///   ``PreprocessingError/missingCategory(column:row:)`` for a missing value.
    public mutating func fit(_ table: DataTable, columns names: [String]? = nil) throws {
        let chosen = names ?? table.columnNames.filter { table[$0]?.isNumeric == false }
        var learned: [[String]] = []
        for name in chosen {
            try StopRequest.check()
            let values = try table.column(named: name).textValues
            if let row = values.firstIndex(where: { $0 == nil }) {
                throw PreprocessingError.missingCategory(column: name, row: row + 1)
            }
            learned.append(Set(values.compactMap { $0 }).sorted())
        }
        columns = chosen
        categories = learned
    }

    /// The table with each encoded column replaced, in place, by its indicator columns.
    public func transform(_ table: DataTable) throws -> DataTable {
        guard !columns.isEmpty else { throw PreprocessingError.notFitted(transformer: "OneHotEncoder") }
        var encoded: [String: [(name: String, column: DataTable.Column)]] = [:]
        for (k, name) in columns.enumerated() {
            try StopRequest.check()
            let codes = try indices(of: try table.column(named: name), column: k)
            encoded[name] = categories[k].enumerated().map { c, category in
                ("\(name)_\(category)", .numeric(codes.map { $0 == c ? 1 : 0 }))
            }
        }
        var parts: [(name: String, column: DataTable.Column)] = []
        for (name, column) in zip(table.columnNames, table.columns) {
            try StopRequest.check()
            if let indicators = encoded[name] { parts += indicators } else { parts.append((name, column)) }
        }
        return try DataTable(parts)
    }

    /// Only the indicator matrix `[rows, featureNames.count]` (float32) of the encoded columns.
    public func encode(_ table: DataTable) throws -> Tensor {
        guard !columns.isEmpty else { throw PreprocessingError.notFitted(transformer: "OneHotEncoder") }
        let width = categories.reduce(0) { $0 + $1.count }
        var scalars = [Float](repeating: 0, count: table.rowCount * width)
        var offset = 0
        for (k, name) in columns.enumerated() {
            try StopRequest.check()
            let codes = try indices(of: try table.column(named: name), column: k)
            for (i, code) in codes.enumerated() where code >= 0 { scalars[i * width + offset + code] = 1 }
            offset += categories[k].count
        }
        return Tensor(shape: [table.rowCount, width], scalars: scalars)
    }

    /// Fits on `table` and returns it encoded.
    public mutating func fitTransform(_ table: DataTable, columns names: [String]? = nil) throws -> DataTable {
        try fit(table, columns: names)
        return try transform(table)
    }

    /// The category index of every row, or -1 for an ignored unknown category.
    private func indices(of column: DataTable.Column, column k: Int) throws -> [Int] {
        let known = categories[k]
        let lookup = Dictionary(uniqueKeysWithValues: known.enumerated().map { ($1, $0) })
        return try column.textValues.enumerated().map { row, value in
            guard let value else { throw PreprocessingError.missingCategory(column: columns[k], row: row + 1) }
            if let index = lookup[value] { return index }
            if handleUnknown == .ignore { return -1 }
            throw PreprocessingError.unknownCategory(column: columns[k], value: value, row: row + 1, known: known)
        }
    }
}
