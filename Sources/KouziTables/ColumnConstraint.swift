import KouziBase
import KouziData

/// Declared limits on a column's values, checked by ``QualityReport``.
///
/// ```json
/// {"age": {"min": 0, "max": 120}, "color": {"allowedValues": ["red", "green"]}}
/// ```
public struct ColumnConstraint: Sendable, Codable, Equatable {
    /// The smallest allowed number (cells that are not numbers are type errors, not range errors).
    public var min: Double?
    /// The largest allowed number.
    public var max: Double?
    /// The allowed cell texts; any other non-missing value is out of range.
    public var allowedValues: [String]?

    /// Creates a constraint.
    public init(min: Double? = nil, max: Double? = nil, allowedValues: [String]? = nil) {
        self.min = min
        self.max = max
        self.allowedValues = allowedValues
    }

    /// Whether a non-missing cell violates the constraint.
    func violated(by cell: String, allowed: Set<String>?) -> Bool {
        if let allowed, !allowed.contains(cell) { return true }
        if min != nil || max != nil, let x = CellNumber.value(cell) {
            if let min, x < min { return true }
            if let max, x > max { return true }
        }
        return false
    }

    /// A short description such as `[0, 120]` or `one of red, green`.
    var summary: String {
        var parts: [String] = []
        if min != nil || max != nil {
            parts.append("[\(min.map(CellNumber.format) ?? "-∞"), \(max.map(CellNumber.format) ?? "∞")]")
        }
        if let allowedValues { parts.append("one of " + allowedValues.joined(separator: ", ")) }
        return parts.joined(separator: " and ")
    }
}

/// One cell quoted in a report: its 0-based row index in ``RawTable/rows`` and its text.
public struct CellExample: Sendable, Codable, Equatable {
    /// The 0-based index of the row.
    public var row: Int
    /// The cell's text.
    public var value: String

    /// Creates an example.
    public init(row: Int, value: String) {
        self.row = row
        self.value = value
    }
}

/// Cells of one column that fail a check, with a few examples.
public struct CellFindings: Sendable, Codable, Equatable {
    /// The column.
    public var column: String
    /// What was checked: the expected type (`"integer"`), the constraint (`"[0, 120]"`), or the fences
    /// (`"outside [-7, 19]"`).
    public var check: String
    /// Number of failing cells.
    public var count: Int
    /// Up to ``QualityReport/exampleLimit`` failing cells, in row order.
    public var examples: [CellExample]

    /// Creates findings.
    public init(column: String, check: String, count: Int, examples: [CellExample]) {
        self.column = column
        self.check = check
        self.count = count
        self.examples = examples
    }
}

/// The number of missing cells in one column.
public struct MissingCount: Sendable, Codable, Equatable {
    /// The column.
    public var column: String
    /// Number of missing cells.
    public var count: Int
    /// `count / rowCount` (0 for a table without rows).
    public var fraction: Double

    /// Creates a missing count.
    public init(column: String, count: Int, fraction: Double) {
        self.column = column
        self.count = count
        self.fraction = fraction
    }
}

/// A row equal to an earlier one.
public struct DuplicateRow: Sendable, Codable, Equatable {
    /// The 0-based index of the repeated row.
    public var row: Int
    /// The 0-based index of the first row with the same cells.
    public var firstOccurrence: Int

    /// Creates a duplicate entry.
    public init(row: Int, firstOccurrence: Int) {
        self.row = row
        self.firstOccurrence = firstOccurrence
    }
}

/// A finding of a ``QualityReport`` in words.
public struct QualityIssue: Sendable, Codable, Equatable {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
        /// Worth knowing; no action needed.
        case info
        /// Likely to hurt a model; consider cleaning.
        case warning
        /// The data breaks its declared or inferred schema.
        case error

        private var rank: Int { Self.allCases.firstIndex(of: self)! }

        /// Orders info < warning < error.
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// The severity.
    public var severity: Severity
    /// A stable machine-readable kind: `missingValues`, `emptyColumn`, `constantColumn`, `duplicateRows`,
    /// `typeErrors`, `outOfRange`, `outliers` or `classImbalance`.
    public var code: String
    /// The column concerned, or nil for the whole table.
    public var column: String?
    /// A sentence for people.
    public var message: String

    /// Creates an issue.
    public init(severity: Severity, code: String, column: String?, message: String) {
        self.severity = severity
        self.code = code
        self.column = column
        self.message = message
    }
}
