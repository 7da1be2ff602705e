import KouziBase
import KouziData

/// One operation of a ``CleaningPipeline``.
///
/// Steps are written as JSON objects whose `op` names the operation; the other keys are its
/// parameters (unknown keys are errors, so typos do not pass silently):
///
/// ```json
/// {"op":"dropMissing","columns":["age"],"how":"any"}          // columns optional (all); how any|all
/// {"op":"impute","columns":["age"],"strategy":"median"}      // mean|median|mostFrequent|constant (+ "value")
/// {"op":"dropDuplicates","columns":["id"]}                   // columns optional (whole rows)
/// {"op":"filter","column":"age","operator":">=","value":18}  // ==,!=,<,<=,>,>=,in,notIn ("values"),isMissing,notMissing
/// {"op":"clip","columns":["income"],"min":0,"max":1e6}       // or "lowerQuantile"/"upperQuantile" in [0,1]
/// {"op":"cast","column":"zip","to":"string","onError":"fail"} // to integer|float|string|boolean; onError fail|missing
/// {"op":"standardize","columns":["age","income"]}
/// {"op":"normalize","columns":["age"]}
/// {"op":"encode","column":"color","method":"oneHot"}         // oneHot|ordinal
/// {"op":"split","ratios":{"train":0.8,"validation":0.1,"test":0.1},"seed":42,"stratify":"label","output":"split"}
/// {"op":"dropColumns","columns":["id"]}
/// {"op":"renameColumn","column":"y","to":"label"}
/// ```
///
/// Values compared or inserted (`value`, `values`) may be JSON strings, numbers or booleans; they are
/// kept as cell text.
public enum CleaningStep: Sendable, Equatable {
    /// Drops rows with a missing value in any (or all) of `columns` (nil: every column).
    case dropMissing(columns: [String]?, how: MissingRule)
    /// Fills missing cells of `columns`.
    case impute(columns: [String], strategy: ImputeStrategy)
    /// Drops rows equal to an earlier row on `columns` (nil: every column), keeping the first.
    case dropDuplicates(columns: [String]?)
    /// Keeps the rows whose `column` satisfies the predicate.
    case filter(column: String, op: FilterOperator, value: String?, values: [String]?)
    /// Limits the numbers of `columns` to fixed bounds or to quantiles of the column.
    case clip(columns: [String], min: Double?, max: Double?, lowerQuantile: Double?, upperQuantile: Double?)
    /// Converts the cells of `column` to a type's canonical text.
    case cast(column: String, to: CastType, onError: CastErrorPolicy)
    /// Replaces numbers by z-scores `(x − mean) / std` (population std, as scikit-learn's StandardScaler;
    /// a constant column becomes 0).
    case standardize(columns: [String])
    /// Rescales numbers to [0, 1] by `(x − min) / (max − min)` (a constant column becomes 0).
    case normalize(columns: [String])
    /// Replaces a categorical column by indicator columns `column=value` or by ordinal codes.
    case encode(column: String, method: EncodingMethod)
    /// Adds a column assigning each row to `train`, `validation` or `test`.
    case split(ratios: SplitRatios, seed: UInt64, stratify: String?, output: String)
    /// Removes columns.
    case dropColumns(columns: [String])
    /// Renames a column.
    case renameColumn(column: String, to: String)

    /// The operation names, as written in JSON.
    public static let operationNames = ["dropMissing", "impute", "dropDuplicates", "filter", "clip", "cast",
                                        "standardize", "normalize", "encode", "split", "dropColumns", "renameColumn"]

    /// The operation name, as written in JSON (`"impute"`).
    public var op: String {
        switch self {
        case .dropMissing: return "dropMissing"
        case .impute: return "impute"
        case .dropDuplicates: return "dropDuplicates"
        case .filter: return "filter"
        case .clip: return "clip"
        case .cast: return "cast"
        case .standardize: return "standardize"
        case .normalize: return "normalize"
        case .encode: return "encode"
        case .split: return "split"
        case .dropColumns: return "dropColumns"
        case .renameColumn: return "renameColumn"
        }
    }
}

/// Which rows ``CleaningStep/dropMissing(columns:how:)`` drops.
public enum MissingRule: String, Sendable, Codable, CaseIterable {
    /// Rows with at least one missing value among the columns.
    case any
    /// Rows whose values are all missing among the columns.
    case all
}

/// How ``CleaningStep/impute(columns:strategy:)`` fills missing cells.
public enum ImputeStrategy: Sendable, Equatable {
    /// The mean of the column's numbers.
    case mean
    /// The median of the column's numbers.
    case median
    /// The most frequent text (ties: the smallest in the order of ``ClassBalance``).
    case mostFrequent
    /// A fixed text.
    case constant(String)

    /// The strategy's name in JSON.
    public var name: String {
        switch self {
        case .mean: return "mean"
        case .median: return "median"
        case .mostFrequent: return "mostFrequent"
        case .constant: return "constant"
        }
    }

    /// The strategy names, as written in JSON.
    public static let names = ["mean", "median", "mostFrequent", "constant"]
}

/// The comparison of a ``CleaningStep/filter(column:op:value:values:)`` step.
///
/// `==` and `!=` compare numerically when both sides are numbers (`"1.0" == "1"`), as text otherwise;
/// `<`, `<=`, `>`, `>=` need a numeric value and are false for cells that are not numbers. A missing
/// cell satisfies only `isMissing` (as SQL's NULL does).
public enum FilterOperator: String, Sendable, Codable, CaseIterable {
    /// Equal.
    case equal = "=="
    /// Not equal.
    case notEqual = "!="
    /// Less than.
    case less = "<"
    /// Less than or equal.
    case lessOrEqual = "<="
    /// Greater than.
    case greater = ">"
    /// Greater than or equal.
    case greaterOrEqual = ">="
    /// One of `values`.
    case `in` = "in"
    /// None of `values`.
    case notIn = "notIn"
    /// The cell is missing.
    case isMissing = "isMissing"
    /// The cell is not missing.
    case notMissing = "notMissing"
}

/// The target type of a ``CleaningStep/cast(column:to:onError:)`` step.
///
/// `integer` accepts numbers with an integral value (`"3.0"` → `"3"`, `"3.5"` fails); `float` writes
/// Swift's shortest round-trip text (`"3"` → `"3.0"`); `boolean` accepts `true/false/yes/no/t/f/y/n/1/0`
/// in any case and writes `true`/`false`; `string` keeps the text.
public enum CastType: String, Sendable, Codable, CaseIterable {
    /// Whole numbers.
    case integer
    /// Real numbers.
    case float
    /// Text (cells unchanged).
    case string
    /// `true` / `false`.
    case boolean
}

/// What a cast does with a cell it cannot convert.
public enum CastErrorPolicy: String, Sendable, Codable, CaseIterable {
    /// Stop with an error naming the row and value.
    case fail
    /// Make the cell missing.
    case missing
}

/// How ``CleaningStep/encode(column:method:)`` encodes categories.
public enum EncodingMethod: String, Sendable, Codable, CaseIterable {
    /// One `0`/`1` column `column=value` per distinct value (sorted), replacing the column in place.
    case oneHot
    /// The 0-based index of the value among the sorted distinct values.
    case ordinal
}

/// The shares of the parts of a split.
public struct SplitRatios: Sendable, Codable, Equatable {
    /// Share of the training part.
    public var train: Double
    /// Share of the validation part.
    public var validation: Double
    /// Share of the test part.
    public var test: Double

    /// Creates ratios; they must be in [0, 1] and add up to 1 (checked by validation).
    public init(train: Double, validation: Double = 0, test: Double) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}
