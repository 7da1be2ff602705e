import KouziBase
import KouziData

/// Follows the columns through a pipeline and checks each step's columns and parameters.
struct PipelineValidator {
    /// The columns known to exist before the current step.
    var columns: [String]
    /// Columns one-hot encoded earlier: names `c=…` may exist.
    var encodedPrefixes: [String] = []

    init(columns: [String]) {
        self.columns = columns
    }

    private func exists(_ name: String) -> Bool {
        columns.contains(name) || encodedPrefixes.contains { name.hasPrefix($0 + "=") }
    }

    private func require(_ names: [String], _ index: Int, _ op: String) throws {
        for name in names where !exists(name) {
            throw CleaningError.unknownColumn(step: index, op: op, column: name, available: columns)
        }
    }

    mutating func check(_ step: CleaningStep, index: Int) throws {
        let op = step.op
        func invalid(_ name: String, _ reason: String) -> CleaningError {
            .invalidParameter(step: index, op: op, name: name, reason: reason)
        }
        switch step {
        case let .dropMissing(names, _), let .dropDuplicates(names):
            try require(names ?? [], index, op)
        case let .impute(names, _), let .standardize(names), let .normalize(names):
            try require(names, index, op)
        case let .filter(column, comparison, value, values):
            try require([column], index, op)
            switch comparison {
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
                guard let value else {
                    throw CleaningError.missingParameter(step: index, op: op, name: "value")
                }
                if values != nil { throw invalid("values", "'\(comparison.rawValue)' compares with 'value', not 'values'") }
                if [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(comparison), CellNumber.value(value) == nil {
                    throw invalid("value", "'\(comparison.rawValue)' needs a number, found \(value.debugDescription)")
                }
            case .in, .notIn:
                guard values != nil else { throw CleaningError.missingParameter(step: index, op: op, name: "values") }
                if value != nil { throw invalid("value", "'\(comparison.rawValue)' takes 'values' (an array), not 'value'") }
            case .isMissing, .notMissing:
                if value != nil || values != nil {
                    throw invalid(value != nil ? "value" : "values", "'\(comparison.rawValue)' takes no value")
                }
            }
        case let .clip(names, min, max, lowerQuantile, upperQuantile):
            try require(names, index, op)
            if min == nil && max == nil && lowerQuantile == nil && upperQuantile == nil {
                throw CleaningError.missingParameter(step: index, op: op, name: "min, max, lowerQuantile or upperQuantile")
            }
            if min != nil && lowerQuantile != nil { throw invalid("lowerQuantile", "give either 'min' or 'lowerQuantile', not both") }
            if max != nil && upperQuantile != nil { throw invalid("upperQuantile", "give either 'max' or 'upperQuantile', not both") }
            for (name, q) in [("lowerQuantile", lowerQuantile), ("upperQuantile", upperQuantile)] {
                if let q, !(0...1).contains(q) { throw invalid(name, "\(q) is outside [0, 1]") }
            }
            if let min, let max, min > max { throw invalid("min", "min \(min) is greater than max \(max)") }
            if let lowerQuantile, let upperQuantile, lowerQuantile > upperQuantile {
                throw invalid("lowerQuantile", "lowerQuantile \(lowerQuantile) is greater than upperQuantile \(upperQuantile)")
            }
        case let .cast(column, _, _):
            try require([column], index, op)
        case let .encode(column, method):
            try require([column], index, op)
            if method == .oneHot {
                columns.removeAll { $0 == column }
                encodedPrefixes.append(column)
            }
        case let .split(ratios, _, stratify, output):
            let parts = [("train", ratios.train), ("validation", ratios.validation), ("test", ratios.test)]
            for (name, share) in parts where !(0...1).contains(share) {
                throw invalid("ratios", "\(name) ratio \(share) is outside [0, 1]")
            }
            let sum = ratios.train + ratios.validation + ratios.test
            if abs(sum - 1) > 1e-9 { throw invalid("ratios", "the ratios add up to \(sum), not 1") }
            if let stratify { try require([stratify], index, op) }
            if output.isEmpty { throw invalid("output", "the column name is empty") }
            if exists(output) { throw CleaningError.columnExists(step: index, op: op, column: output) }
            columns.append(output)
        case let .dropColumns(names):
            try require(names, index, op)
            columns.removeAll { names.contains($0) }
            if columns.isEmpty && encodedPrefixes.isEmpty { throw invalid("columns", "dropping them would leave no column") }
        case let .renameColumn(column, to):
            try require([column], index, op)
            if to.isEmpty { throw invalid("to", "the new name is empty") }
            if to != column && exists(to) { throw CleaningError.columnExists(step: index, op: op, column: to) }
            columns = columns.map { $0 == column ? to : $0 }
        }
    }
}
