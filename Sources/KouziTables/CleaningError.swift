import KouziBase
import KouziData

/// An error decoding, validating or running a ``CleaningPipeline``.
///
/// `step` is the 0-based index of the step in the pipeline's JSON array; messages start with
/// `steps[i] (op): ` so a user can find the step.
public enum CleaningError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The pipeline JSON is neither an array of steps nor an object with a `steps` array.
    case notAPipeline(found: String)
    /// A step that is not a JSON object, or has no string `op`.
    case malformedStep(step: Int, reason: String)
    /// An `op` that is not one of ``CleaningStep/operationNames``.
    case unknownOperation(step: Int, op: String, valid: [String])
    /// A required parameter is absent.
    case missingParameter(step: Int, op: String, name: String)
    /// A parameter that the operation does not take.
    case unexpectedParameter(step: Int, op: String, name: String, allowed: [String])
    /// A parameter of the wrong JSON type or outside its domain.
    case invalidParameter(step: Int, op: String, name: String, reason: String)
    /// A column that the table does not have at this step.
    case unknownColumn(step: Int, op: String, column: String, available: [String])
    /// A column that the step would create but that already exists.
    case columnExists(step: Int, op: String, column: String)
    /// A cell that is not a number in a column the step needs numeric; `row` is the 1-based data row
    /// of the table as it enters the step.
    case nonNumericValue(step: Int, op: String, column: String, row: Int, value: String)
    /// A column with no values from which to compute a statistic.
    case noValues(step: Int, op: String, column: String, statistic: String)
    /// A cell a cast with `onError: fail` cannot convert.
    case castFailed(step: Int, column: String, row: Int, value: String, type: CastType)
    /// The table cannot be split as asked (too few rows for a part).
    case splitFailed(step: Int, reason: String)

    public var description: String {
        switch self {
        case let .notAPipeline(found):
            return "a cleaning pipeline is a JSON array of steps (or {\"steps\": [...]}), found \(found)"
        case let .malformedStep(step, reason):
            return "steps[\(step)]: \(reason)"
        case let .unknownOperation(step, op, valid):
            return "steps[\(step)]: unknown operation '\(op)'; valid operations: \(valid.joined(separator: ", "))"
        case let .missingParameter(step, op, name):
            return "steps[\(step)] (\(op)): missing required parameter '\(name)'"
        case let .unexpectedParameter(step, op, name, allowed):
            return "steps[\(step)] (\(op)): unexpected parameter '\(name)'; \(op) takes: \(allowed.joined(separator: ", "))"
        case let .invalidParameter(step, op, name, reason):
            return "steps[\(step)] (\(op)): invalid parameter '\(name)': \(reason)"
        case let .unknownColumn(step, op, column, available):
            return "steps[\(step)] (\(op)): unknown column '\(column)'; available columns at this step: "
                + TableError.list(available)
        case let .columnExists(step, op, column):
            return "steps[\(step)] (\(op)): column '\(column)' already exists"
        case let .nonNumericValue(step, op, column, row, value):
            return "steps[\(step)] (\(op)): column '\(column)' row \(row): \(value.debugDescription) is not a number"
        case let .noValues(step, op, column, statistic):
            return "steps[\(step)] (\(op)): column '\(column)' has no values to compute the \(statistic) from"
        case let .castFailed(step, column, row, value, type):
            return "steps[\(step)] (cast): column '\(column)' row \(row): cannot cast \(value.debugDescription) to \(type.rawValue)"
                + " (use \"onError\": \"missing\" to make such cells missing)"
        case let .splitFailed(step, reason):
            return "steps[\(step)] (split): \(reason)"
        }
    }
}
