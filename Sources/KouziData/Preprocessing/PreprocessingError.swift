import KouziTensor

/// An error fitting or applying a preprocessing step, or splitting data.
public enum PreprocessingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `transform` was called before `fit`.
    case notFitted(transformer: String)
    /// The input is not a float32 matrix `[rows, features]`.
    case expectedMatrix(transformer: String, shape: [Int], dtype: DType)
    /// The input has a different number of features than the data the step was fitted on.
    case featureCountMismatch(transformer: String, fitted: Int, got: Int)
    /// There are no rows to fit on.
    case emptyInput(transformer: String)
    /// Every value of a feature is missing, so no statistic can be computed.
    case allMissing(transformer: String, feature: String)
    /// The strategy cannot be applied to a column of this kind (e.g. the mean of text).
    case strategyNotApplicable(strategy: String, column: String)
    /// A column the step was fitted on is absent, or has changed kind.
    case columnMismatch(transformer: String, column: String, reason: String)
    /// A category not seen during `fit`; `row` is 1-based.
    case unknownCategory(column: String, value: String, row: Int, known: [String])
    /// A missing value where a category is needed; `row` is 1-based.
    case missingCategory(column: String, row: Int)
    /// A label not among the encoder's classes; `index` is 0-based.
    case unknownLabel(value: String, index: Int, classes: [String])
    /// A class id outside `0..<classCount`; `index` is 0-based.
    case classIDOutOfRange(id: Int, index: Int, classCount: Int)
    /// The feature range of a MinMaxScaler is empty.
    case invalidFeatureRange(lower: Double, upper: Double)
    /// A split fraction outside [0, 1], or fractions that do not add up to 1.
    case invalidFractions([Double])
    /// A split part that would receive no example although its fraction is positive.
    case splitTooSmall(part: Int, fraction: Double, count: Int)
    /// Features and targets with a different number of rows.
    case rowCountMismatch(xShape: [Int], yShape: [Int])
    /// Labels that cannot stratify a split (not integers).
    case invalidStratifyLabels(reason: String)

    public var description: String {
        switch self {
        case let .notFitted(transformer):
            return "\(transformer): call fit before transform"
        case let .expectedMatrix(transformer, shape, dtype):
            return "\(transformer): expected a float32 matrix [rows, features], got shape \(shape) of \(dtype)"
        case let .featureCountMismatch(transformer, fitted, got):
            return "\(transformer): fitted on \(fitted) features, got \(got)"
        case let .emptyInput(transformer):
            return "\(transformer): cannot fit on zero rows"
        case let .allMissing(transformer, feature):
            return "\(transformer): every value of \(feature) is missing"
        case let .strategyNotApplicable(strategy, column):
            return "SimpleImputer: strategy '\(strategy)' needs numbers, but column '\(column)' is categorical"
        case let .columnMismatch(transformer, column, reason):
            return "\(transformer): column '\(column)' \(reason)"
        case let .unknownCategory(column, value, row, known):
            return "OneHotEncoder: unknown category \(value.debugDescription) in column '\(column)' at row \(row); "
                + "known: \(known.joined(separator: ", ")) (use handleUnknown: .ignore to encode it as all zeros)"
        case let .missingCategory(column, row):
            return "column '\(column)' has a missing value at row \(row); impute it first"
        case let .unknownLabel(value, index, classes):
            return "LabelEncoder: unknown label \(value.debugDescription) at index \(index); classes: \(classes.joined(separator: ", "))"
        case let .classIDOutOfRange(id, index, classCount):
            return "LabelEncoder: class id \(id) at index \(index) is outside 0..<\(classCount)"
        case let .invalidFeatureRange(lower, upper):
            return "MinMaxScaler: feature range \(lower)...\(upper) is empty; the lower bound must be below the upper"
        case let .invalidFractions(fractions):
            return "split fractions \(fractions) must each lie in [0, 1] and add up to 1"
        case let .splitTooSmall(part, fraction, count):
            return "split part \(part) with fraction \(fraction) of \(count) examples would be empty"
        case let .rowCountMismatch(xShape, yShape):
            return "features of shape \(xShape) and targets of shape \(yShape) have different numbers of rows"
        case let .invalidStratifyLabels(reason):
            return "cannot stratify: \(reason)"
        }
    }
}
