import KouziBase
import KouziData

/// A statistical profile of a ``RawTable``: shape, per-column types and statistics, and the class
/// balance of the target column.
///
/// ```swift
/// let profile = try TableProfile(table: table, target: "species")
/// profile.column("sepal_length")?.numeric?.mean      // 5.843…
/// profile.classBalance?.classes.map(\.fraction)      // [0.333…, 0.333…, 0.333…]
/// ```
///
/// Each column is read once to classify its cells and collect its numbers; numbers are then sorted
/// (by counting for integer columns of small range, such as pixel values) for the quartiles, the
/// distinct count and the histogram. Texts are counted in a dictionary only for columns that are not
/// numeric.
///
/// - Complexity: O(rows × columns) plus O(n log n) per float column.
public struct TableProfile: Sendable, Codable, Equatable {
    /// Number of data rows.
    public var rowCount: Int
    /// Number of columns.
    public var columnCount: Int
    /// One profile per column, in table order.
    public var columns: [ColumnProfile]
    /// The target column: the one given, or else the first named `label`, `class`, `target` or `y`
    /// (in any case); nil when there is none.
    public var target: String?
    /// The class balance of ``target``.
    public var classBalance: ClassBalance?

    /// The column names that make a column the target when none is given (compared in lower case).
    public static let targetNames: Set<String> = ["label", "class", "target", "y"]

    /// Profiles `table`.
    ///
    /// - Parameters:
    ///   - target: the target column, or nil to infer it from the column names.
    ///   - bins: the number of histogram bins for numeric columns (at least 1).
    /// - Throws: ``TableError/unknownColumn(name:available:)`` for an unknown target, or
    ///   ``TableError/invalidParameter(name:reason:)`` for `bins < 1`.
    public init(table: RawTable, target: String? = nil, bins: Int = 10) throws {
        guard bins >= 1 else { throw TableError.invalidParameter(name: "bins", reason: "\(bins) is less than 1") }
        if let target { _ = try table.requireColumn(target) }
        rowCount = table.rowCount
        columnCount = table.columnCount
        columns = table.header.indices.map { Self.profileColumn(table, $0, bins: bins) }
        self.target = target ?? table.header.first { Self.targetNames.contains($0.lowercased()) }
        classBalance = try self.target.map { ClassBalance(column: $0, cells: try table.column($0)) }
    }

    /// Creates a profile from its parts.
    public init(rowCount: Int, columnCount: Int, columns: [ColumnProfile], target: String?,
                classBalance: ClassBalance?) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.columns = columns
        self.target = target
        self.classBalance = classBalance
    }

    /// The profile of the column called `name`, or nil.
    public func column(_ name: String) -> ColumnProfile? { columns.first { $0.name == name } }

    /// The number of top values listed for categorical and boolean columns.
    public static let topValueCount = 20

    private static func profileColumn(_ table: RawTable, _ j: Int, bins: Int) -> ColumnProfile {
        let rows = table.rows
        var missing = 0, booleans = 0, fractional = 0
        var numbers: [Double] = []
        numbers.reserveCapacity(rows.count)
        for row in rows {
            guard let cell = row[j] else { missing += 1; continue }
            if let (value, isInteger) = CellNumber.parse(cell) {
                numbers.append(value)
                if !isInteger { fractional += 1 }
            } else if CellBoolean.parse(cell) != nil {
                booleans += 1
            }
        }
        let nonMissing = rows.count - missing
        var counts: [String: Int]?
        func valueCounts() -> [String: Int] {
            if let counts { return counts }
            var result: [String: Int] = [:]
            for row in rows { if let cell = row[j] { result[cell, default: 0] += 1 } }
            counts = result
            return result
        }
        let type = ColumnType.infer(
            nonMissing: nonMissing, numbers: numbers.count, fractional: fractional, booleans: booleans,
            distinct: { valueCounts().count },
            meanLength: {
                let total = valueCounts().reduce(0) { $0 + $1.key.count * $1.value }
                return Double(total) / Double(max(nonMissing, 1))
            })
        var profile = ColumnProfile(
            name: table.header[j], type: type, count: nonMissing, missingCount: missing,
            missingFraction: rows.isEmpty ? 0 : Double(missing) / Double(rows.count),
            distinctCount: 0, invalidCount: 0, numeric: nil, topValues: nil, otherCount: nil)
        switch type {
        case .integer, .float:
            let sorted = sortNumbers(numbers, integers: type == .integer)
            var distinct = 0
            for (index, x) in sorted.enumerated() where index == 0 || x != sorted[index - 1] { distinct += 1 }
            profile.distinctCount = distinct
            profile.invalidCount = nonMissing - numbers.count
            profile.numeric = NumericSummary(sorted: sorted, bins: bins)
        case .boolean, .categorical, .text:
            let counts = valueCounts()
            profile.distinctCount = counts.count
            if type == .boolean {
                profile.invalidCount = counts.reduce(0) { $0 + (CellBoolean.parse($1.key) == nil ? $1.value : 0) }
            }
            if type != .text {
                let top = topValues(counts, limit: topValueCount)
                profile.topValues = top
                profile.otherCount = nonMissing - top.reduce(0) { $0 + $1.count }
            }
        case .empty:
            break
        }
        return profile
    }

    /// The `limit` most frequent values, most frequent first, ties in ascending text order.
    static func topValues(_ counts: [String: Int], limit: Int) -> [ValueCount] {
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return sorted.prefix(limit).map { ValueCount(value: $0.key, count: $0.value) }
    }

    /// `numbers` in ascending order; integer columns of small range are sorted by counting.
    static func sortNumbers(_ numbers: [Double], integers: Bool) -> [Double] {
        guard integers, let lo = numbers.min(), let hi = numbers.max(), hi - lo < 65_536,
              Double(numbers.count) > (hi - lo) / 16 else { return numbers.sorted() }
        let base = Int(lo)
        var counts = [Int](repeating: 0, count: Int(hi - lo) + 1)
        for x in numbers { counts[Int(x) - base] += 1 }
        var sorted: [Double] = []
        sorted.reserveCapacity(numbers.count)
        for (offset, count) in counts.enumerated() where count > 0 {
            sorted.append(contentsOf: repeatElement(Double(base + offset), count: count))
        }
        return sorted
    }
}

/// The class counts of a target column.
public struct ClassBalance: Sendable, Codable, Equatable {
    /// The target column.
    public var column: String
    /// One entry per class (distinct non-missing value), in ascending order: numeric when every class
    /// is a number, by text otherwise.
    public var classes: [ClassCount]
    /// Number of rows whose target is missing (not counted in the fractions).
    public var missingCount: Int

    /// Creates a class balance.
    public init(column: String, classes: [ClassCount], missingCount: Int) {
        self.column = column
        self.classes = classes
        self.missingCount = missingCount
    }

    /// Counts the classes among `cells`.
    init(column: String, cells: [String?]) {
        var counts: [String: Int] = [:]
        var missing = 0
        for cell in cells {
            if let cell { counts[cell, default: 0] += 1 } else { missing += 1 }
        }
        let total = Double(max(cells.count - missing, 1))
        let labels = ValueOrder.sorted(Array(counts.keys))
        self.init(column: column,
                  classes: labels.map { ClassCount(label: $0, count: counts[$0]!, fraction: Double(counts[$0]!) / total) },
                  missingCount: missing)
    }
}

/// One class of a target column.
public struct ClassCount: Sendable, Codable, Equatable {
    /// The class label (cell text).
    public var label: String
    /// The number of rows of this class.
    public var count: Int
    /// The share of this class among rows with a target.
    public var fraction: Double

    /// Creates a class count.
    public init(label: String, count: Int, fraction: Double) {
        self.label = label
        self.count = count
        self.fraction = fraction
    }
}

/// A deterministic order for cell values: numeric when all are numbers, by text otherwise.
enum ValueOrder {
    static func sorted(_ values: [String]) -> [String] {
        let numbers = values.map(CellNumber.value)
        if numbers.allSatisfy({ $0 != nil }) {
            return zip(values, numbers).sorted { a, b in a.1! != b.1! ? a.1! < b.1! : a.0 < b.0 }.map(\.0)
        }
        return values.sorted()
    }
}
