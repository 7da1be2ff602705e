/// Everything that can go wrong in `KouziRec`, with messages that name the offending file, line, id or value.
///
/// Every public entry point validates its input and throws one of these; nothing in the library traps on
/// user input. Prediction for an unknown user or item is *not* an error: it takes the documented cold-start
/// path (see ``Prediction/Kind``).
public enum RecError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A file could not be opened or read.
    case fileUnreadable(path: String, reason: String)
    /// A line of a data file could not be parsed.
    case malformedLine(file: String, line: Int, reason: String)
    /// A data set, split or history had no rows where at least one was needed.
    case empty(what: String)
    /// A rating lies outside the data set's rating scale.
    case ratingOutOfScale(rating: Double, lower: Double, upper: Double, user: String, item: String)
    /// A rating or event value is not a finite number.
    case nonFiniteValue(user: String, item: String)
    /// A hyper-parameter or argument is out of its valid range.
    case invalidParameter(name: String, value: String, reason: String)
    /// A model was used before `fit` was called.
    case notFitted(model: String)
    /// A user id is unknown where the operation cannot fall back to a cold-start path.
    case unknownUser(String)
    /// An item id is unknown where the operation cannot fall back to a cold-start path.
    case unknownItem(String)
    /// Two inputs that must agree in size do not.
    case sizeMismatch(what: String, expected: Int, actual: Int)
    /// An embedding table is full and cannot grow further.
    case tableFull(capacity: Int)

    /// A message that names the offending value.
    public var description: String {
        switch self {
        case let .fileUnreadable(path, reason): return "cannot read '\(path)': \(reason)"
        case let .malformedLine(file, line, reason): return "\(file):\(line): \(reason)"
        case let .empty(what): return "\(what) is empty"
        case let .ratingOutOfScale(rating, lower, upper, user, item):
            return "rating \(rating) of user '\(user)' for item '\(item)' lies outside the scale [\(lower), \(upper)]"
        case let .nonFiniteValue(user, item): return "value of user '\(user)' for item '\(item)' is not finite"
        case let .invalidParameter(name, value, reason): return "invalid \(name) = \(value): \(reason)"
        case let .notFitted(model): return "\(model) must be fitted before use"
        case let .unknownUser(id): return "unknown user '\(id)'"
        case let .unknownItem(id): return "unknown item '\(id)'"
        case let .sizeMismatch(what, expected, actual): return "\(what): expected \(expected), got \(actual)"
        case let .tableFull(capacity): return "embedding table is full (capacity \(capacity) rows)"
        }
    }
}

/// Throws ``RecError/invalidParameter(name:value:reason:)`` unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ name: String, _ value: some CustomStringConvertible, _ reason: String) throws(RecError) {
    if !condition { throw RecError.invalidParameter(name: name, value: value.description, reason: reason) }
}

/// Checks the hyper-parameters every SGD-trained factor model shares.
func requireSGD(factors: Int, epochs: Int, learningRate: Float, regularization: Float) throws(RecError) {
    try require(factors >= 1, "factors", factors, "needs ≥ 1")
    try require(epochs >= 0, "epochs", epochs, "needs ≥ 0")
    try require(learningRate > 0 && learningRate.isFinite, "learningRate", learningRate, "needs > 0")
    try require(regularization >= 0, "regularization", regularization, "needs ≥ 0")
}
