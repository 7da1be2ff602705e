import KouziBase
import KouziData

/// The type of a column as inferred from its cells.
///
/// Inference looks at the non-missing cells only and follows the majority (more than half):
///
/// | type          | when                                                                        |
/// |---------------|-----------------------------------------------------------------------------|
/// | `empty`       | every cell is missing                                                       |
/// | `boolean`     | most cells are `true`/`false`, `yes`/`no`, `t`/`f` or `y`/`n` (any case)    |
/// | `integer`     | most cells are numbers, and every number is written as an integer           |
/// | `float`       | most cells are numbers, some with a fraction or exponent                    |
/// | `text`        | otherwise, when most values are distinct and they average 20+ characters    |
/// | `categorical` | otherwise                                                                   |
///
/// `0`/`1` columns are `integer`, not `boolean`. In a numeric or boolean column the minority cells that do not parse are *type errors*
/// (see ``QualityReport``).
public enum ColumnType: String, Sendable, Codable, CaseIterable, Equatable {
    /// Whole numbers.
    case integer
    /// Real numbers.
    case float
    /// Two-valued flags.
    case boolean
    /// Labels drawn from a limited set.
    case categorical
    /// Free text: many distinct, long values.
    case text
    /// No value at all.
    case empty

    /// Whether values of this type are numbers (`integer` or `float`).
    public var isNumeric: Bool { self == .integer || self == .float }

    /// Whether a non-missing cell is a valid value of this type.
    public func accepts(_ cell: String) -> Bool {
        switch self {
        case .integer, .float: return CellNumber.parse(cell) != nil
        case .boolean: return CellBoolean.parse(cell) != nil
        case .categorical, .text, .empty: return true
        }
    }

    /// The minimum mean length (in characters) of a `text` column's values.
    static let textMinimumMeanLength = 20

    /// Infers the type from counts over the non-missing cells.
    static func infer(nonMissing: Int, numbers: Int, fractional: Int, booleans: Int,
                      distinct: () -> Int, meanLength: () -> Double) -> ColumnType {
        guard nonMissing > 0 else { return .empty }
        if booleans * 2 > nonMissing { return .boolean }
        if numbers * 2 > nonMissing { return fractional == 0 ? .integer : .float }
        if distinct() * 2 > nonMissing && meanLength() >= Double(textMinimumMeanLength) { return .text }
        return .categorical
    }
}
