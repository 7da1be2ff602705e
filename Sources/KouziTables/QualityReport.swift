import KouziBase
import KouziData

/// Data-quality findings for a ``RawTable``: missing values, duplicate rows, type errors, values
/// outside declared constraints and outliers, summarized as issues with a score.
///
/// ```swift
/// let profile = try TableProfile(table: table)
/// let report = try QualityReport(table: table, profile: profile,
///                                constraints: ["age": ColumnConstraint(min: 0, max: 120)])
/// report.passed                         // false when any issue is an error
/// report.issues.map(\.message)
/// ```
///
/// Row indices are 0-based positions in ``RawTable/rows``. Outliers lie beyond Tukey's far fences
/// `Q1 − 3·IQR` and `Q3 + 3·IQR` of a numeric column; columns whose IQR is 0 (such as mostly-zero
/// pixels) are skipped, since every value off the median would count.
public struct QualityReport: Sendable, Codable, Equatable {
    /// Number of data rows.
    public var rowCount: Int
    /// Missing cells per column, in table order (every column, zeros included).
    public var missingByColumn: [MissingCount]
    /// Number of rows with at least one missing cell.
    public var rowsWithMissing: Int
    /// Number of rows equal to an earlier row.
    public var duplicateRowCount: Int
    /// Up to ``duplicateExampleLimit`` duplicate rows with their first occurrence.
    public var duplicateExamples: [DuplicateRow]
    /// Cells that are not values of their column's inferred numeric or boolean type.
    public var typeErrors: [CellFindings]
    /// Cells outside a declared ``ColumnConstraint``.
    public var outOfRange: [CellFindings]
    /// Numbers beyond the Tukey far fences of their column.
    public var outliers: [CellFindings]
    /// The findings in words, errors first.
    public var issues: [QualityIssue]
    /// 0–100: the share of cells that are neither missing, type errors nor out of range, times the share
    /// of rows that are not duplicates.
    public var score: Double
    /// Whether no issue is an error.
    public var passed: Bool

    /// The number of examples listed per column.
    public static let exampleLimit = 10
    /// The number of duplicate rows listed.
    public static let duplicateExampleLimit = 20
    /// Fences lie this many IQRs beyond the quartiles.
    public static let fenceFactor = 3.0

    /// Checks `table`, whose `profile` gives the inferred types and quartiles.
    ///
    /// - Throws: ``TableError/unknownColumn(name:available:)`` for a constraint on an unknown column, or
    ///   ``TableError/invalidParameter(name:reason:)`` when `profile` describes other columns.
    public init(table: RawTable, profile: TableProfile, constraints: [String: ColumnConstraint] = [:]) throws {
        guard profile.columns.map(\.name) == table.header, profile.rowCount == table.rowCount else {
            throw TableError.invalidParameter(name: "profile", reason: "it was computed for a table of other columns or rows")
        }
        for name in constraints.keys.sorted() where table.columnIndex(name) == nil {
            throw TableError.unknownColumn(name: name, available: table.header)
        }
        let rows = table.rows
        rowCount = rows.count
        missingByColumn = profile.columns.map {
            MissingCount(column: $0.name, count: $0.missingCount, fraction: $0.missingFraction)
        }
        rowsWithMissing = rows.reduce(0) { $0 + ($1.contains { $0 == nil } ? 1 : 0) }

        var firstSeen: [RowKey: Int] = [:]
        firstSeen.reserveCapacity(rows.count)
        duplicateRowCount = 0
        duplicateExamples = []
        for (i, row) in rows.enumerated() {
            let key = RowKey(row)
            if let first = firstSeen[key] {
                duplicateRowCount += 1
                if duplicateExamples.count < Self.duplicateExampleLimit {
                    duplicateExamples.append(DuplicateRow(row: i, firstOccurrence: first))
                }
            } else {
                firstSeen[key] = i
            }
        }
        firstSeen = [:]

        typeErrors = []
        outOfRange = []
        outliers = []
        for (j, column) in profile.columns.enumerated() {
            let type = column.type
            if type.isNumeric || type == .boolean {
                let found = Self.scan(rows, j) { !type.accepts($0) }
                if found.count > 0 {
                    typeErrors.append(CellFindings(column: column.name, check: type.rawValue, count: found.count, examples: found.examples))
                }
            }
            if let constraint = constraints[column.name] {
                let allowed = constraint.allowedValues.map(Set.init)
                let found = Self.scan(rows, j) { constraint.violated(by: $0, allowed: allowed) }
                if found.count > 0 {
                    outOfRange.append(CellFindings(column: column.name, check: constraint.summary, count: found.count,
                                                   examples: found.examples))
                }
            }
            if type.isNumeric, let numeric = column.numeric, numeric.iqr > 0 {
                let lower = numeric.q1 - Self.fenceFactor * numeric.iqr, upper = numeric.q3 + Self.fenceFactor * numeric.iqr
                let found = Self.scan(rows, j) { cell in
                    guard let x = CellNumber.value(cell) else { return false }
                    return x < lower || x > upper
                }
                if found.count > 0 {
                    let check = "outside [\(CellNumber.format(lower)), \(CellNumber.format(upper))]"
                    outliers.append(CellFindings(column: column.name, check: check, count: found.count, examples: found.examples))
                }
            }
        }

        let cells = Double(max(rows.count * table.columnCount, 1))
        let badCells = missingByColumn.reduce(0) { $0 + $1.count } + typeErrors.reduce(0) { $0 + $1.count }
            + outOfRange.reduce(0) { $0 + $1.count }
        let cleanShare = max(0, 1 - Double(badCells) / cells)
        let uniqueShare = rows.isEmpty ? 1 : 1 - Double(duplicateRowCount) / Double(rows.count)
        score = (cleanShare * uniqueShare * 1000).rounded() / 10
        issues = []
        passed = true
        issues = Self.describe(self, profile: profile)
        passed = !issues.contains { $0.severity == .error }
    }

    /// The failing non-missing cells of column `j`: their count and the first examples.
    private static func scan(_ rows: [[String?]], _ j: Int, _ fails: (String) -> Bool) -> (count: Int, examples: [CellExample]) {
        var count = 0
        var examples: [CellExample] = []
        for (i, row) in rows.enumerated() {
            guard let cell = row[j], fails(cell) else { continue }
            count += 1
            if examples.count < exampleLimit { examples.append(CellExample(row: i, value: cell)) }
        }
        return (count, examples)
    }
}
