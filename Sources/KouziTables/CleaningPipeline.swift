import KouziBase
import KouziData

/// A declarative list of cleaning steps applied to a ``RawTable``, in order.
///
/// Pipelines come from JSON (an array of step objects, or `{"steps": [...]}`; see ``CleaningStep`` for
/// every operation's parameters), are checked against a table's header before anything runs, and report
/// what each step did:
///
/// ```swift
/// let pipeline = try JSONDecoder().decode(CleaningPipeline.self, from: body)
/// try pipeline.validate(against: table.header)        // unknown columns, bad parameters
/// let result = try pipeline.apply(to: table)
/// result.steps.map(\.rowsAfter)                         // rows left after each step
/// let lineage = pipeline.canonicalJSON                  // stable text for "produced by"
/// ```
///
/// Statistics (means, medians, quantiles, categories) are computed on the table as it enters the step
/// that uses them, over all its rows, so ``preview(_:rows:)`` shows exactly the first rows of the full
/// result.
public struct CleaningPipeline: Sendable, Equatable, Codable {
    /// The steps, in the order they run.
    public var steps: [CleaningStep]

    /// Creates a pipeline.
    public init(steps: [CleaningStep]) {
        self.steps = steps
    }

    /// Decodes a JSON array of steps, or an object `{"steps": [...]}`.
    ///
    /// - Throws: ``CleaningError`` naming the step index, the operation and the parameter at fault.
    public init(from decoder: any Decoder) throws {
        try self.init(json: JSONValue(from: decoder))
    }

    /// Builds a pipeline from a decoded JSON value (an array of steps or `{"steps": [...]}`).
    public init(json: JSONValue) throws {
        let list: [JSONValue]
        switch json {
        case let .array(values): list = values
        case let .object(members):
            guard case let .array(values)? = members["steps"], members.count == 1 else {
                throw CleaningError.notAPipeline(found: "an object without a single \"steps\" array")
            }
            list = values
        default: throw CleaningError.notAPipeline(found: json.typeName)
        }
        steps = try list.enumerated().map { try CleaningStep(json: $1, step: $0) }
    }

    /// Encodes the pipeline as a JSON array of steps.
    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    /// The pipeline as a JSON array of step objects.
    public var json: JSONValue { .array(steps.map(\.json)) }

    /// Compact JSON with sorted keys and every default written out: equal pipelines give equal text,
    /// fit for recording which operation produced a dataset version.
    public var canonicalJSON: String { json.canonicalText }

    /// Checks every step against the columns the table will have when the step runs (taking earlier
    /// renames, drops, encodings and splits into account) and checks parameters, without touching data.
    ///
    /// After a one-hot encoding of `c`, names `c=…` are accepted, since the categories are only known
    /// from the data; ``apply(to:)`` checks them again.
    ///
    /// - Throws: ``CleaningError`` for the first problem found.
    public func validate(against header: [String]) throws {
        var validator = PipelineValidator(columns: header)
        for (index, step) in steps.enumerated() {
            try validator.check(step, index: index)
        }
    }

    /// Runs the pipeline on `table` after validating it.
    ///
    /// - Throws: ``CleaningError`` from validation, or from a step that meets data it cannot handle
    ///   (text in a column it standardizes, a failed cast, too few rows to split).
    public func apply(to table: RawTable) throws -> CleaningResult {
        try validate(against: table.header)
        var runner = CleaningRunner(header: table.header, rows: table.rows)
        var reports: [CleaningStepReport] = []
        for (index, step) in steps.enumerated() {
            reports.append(try runner.run(step, index: index))
        }
        let output = RawTable(unchecked: runner.header, rows: runner.rows)
        return CleaningResult(table: output, steps: reports, rowCount: output.rowCount, isPreview: false)
    }

    /// Runs the whole pipeline on `table` (so statistics are those of the full data) and returns only
    /// the first `rows` rows of the result, with the full report.
    public func preview(_ table: RawTable, rows: Int = 20) throws -> CleaningResult {
        var result = try apply(to: table)
        result.table = result.table.prefix(rows)
        result.isPreview = true
        return result
    }
}

/// The output of a ``CleaningPipeline``: the cleaned table and what each step did.
public struct CleaningResult: Sendable, Codable, Equatable {
    /// The cleaned table (only its first rows for a preview).
    public var table: RawTable
    /// One report per step, in order.
    public var steps: [CleaningStepReport]
    /// The number of rows of the full cleaned table (also for a preview).
    public var rowCount: Int
    /// Whether ``table`` holds only the first rows (see ``CleaningPipeline/preview(_:rows:)``).
    public var isPreview: Bool

    /// Creates a result.
    public init(table: RawTable, steps: [CleaningStepReport], rowCount: Int, isPreview: Bool) {
        self.table = table
        self.steps = steps
        self.rowCount = rowCount
        self.isPreview = isPreview
    }
}

/// What one step of a pipeline did.
public struct CleaningStepReport: Sendable, Codable, Equatable {
    /// The 0-based index of the step.
    public var step: Int
    /// The operation name (`"impute"`).
    public var op: String
    /// Rows entering the step.
    public var rowsBefore: Int
    /// Rows leaving the step.
    public var rowsAfter: Int
    /// Cells whose text the step changed, filled or newly wrote (not counting dropped rows or columns).
    public var cellsChanged: Int
    /// Columns the step created, in table order.
    public var columnsAdded: [String]
    /// Columns the step removed.
    public var columnsRemoved: [String]
    /// Human-readable details, such as the value an imputation used.
    public var notes: [String]

    /// Creates a report.
    public init(step: Int, op: String, rowsBefore: Int, rowsAfter: Int, cellsChanged: Int,
                columnsAdded: [String] = [], columnsRemoved: [String] = [], notes: [String] = []) {
        self.step = step
        self.op = op
        self.rowsBefore = rowsBefore
        self.rowsAfter = rowsAfter
        self.cellsChanged = cellsChanged
        self.columnsAdded = columnsAdded
        self.columnsRemoved = columnsRemoved
        self.notes = notes
    }
}
