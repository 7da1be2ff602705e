import KouziBase
import KouziData

/// Operations that rewrite the values of columns.
extension CleaningRunner {
    /// The numbers of column `j` (nil for missing cells).
    ///
    /// - Throws: ``CleaningError/nonNumericValue(step:op:column:row:value:)`` for the first cell that is not
    ///   a number.
    func numbers(_ j: Int) throws -> [Double?] {
        try rows.enumerated().map { i, row in
            guard let cell = row[j] else { return nil }
            guard let value = CellNumber.value(cell) else {
                throw CleaningError.nonNumericValue(step: step, op: op, column: header[j], row: i + 1, value: cell)
            }
            return value
        }
    }

    /// The non-missing numbers of column `j`, ascending; throws when there are none.
    func sortedNumbers(_ j: Int, statistic: String) throws -> [Double] {
        let values = try numbers(j).compactMap { $0 }.sorted()
        guard !values.isEmpty else {
            throw CleaningError.noValues(step: step, op: op, column: header[j], statistic: statistic)
        }
        return values
    }

    /// Writes `text` to cell (i, j), counting a change when the text differs.
    mutating func set(_ i: Int, _ j: Int, _ text: String?, changed: inout Int) {
        if rows[i][j] != text {
            rows[i][j] = text
            changed += 1
        }
    }

    mutating func impute(_ column: String, _ strategy: ImputeStrategy, changed: inout Int, notes: inout [String]) throws {
        let j = try index(of: column)
        let fill: String
        switch strategy {
        case .mean:
            let values = try sortedNumbers(j, statistic: "mean")
            fill = CellNumber.format(values.reduce(0, +) / Double(values.count))
        case .median:
            fill = CellNumber.format(NumericSummary.quantile(try sortedNumbers(j, statistic: "median"), 0.5))
        case .mostFrequent:
            var counts: [String: Int] = [:]
            for row in rows { if let cell = row[j] { counts[cell, default: 0] += 1 } }
            guard let best = counts.values.max() else {
                throw CleaningError.noValues(step: step, op: op, column: column, statistic: "most frequent value")
            }
            fill = ValueOrder.sorted(counts.filter { $0.value == best }.map(\.key))[0]
        case let .constant(value):
            fill = value
        }
        var filled = 0
        for i in rows.indices where rows[i][j] == nil {
            rows[i][j] = fill
            filled += 1
        }
        changed += filled
        notes.append("\(column): filled \(filled) missing cell\(filled == 1 ? "" : "s") with \(fill.debugDescription) (\(strategy.name))")
    }

    mutating func clip(_ column: String, min: Double?, max: Double?, lowerQuantile: Double?, upperQuantile: Double?,
                       changed: inout Int, notes: inout [String]) throws {
        let j = try index(of: column)
        let values = try numbers(j)
        var lower = min, upper = max
        if lowerQuantile != nil || upperQuantile != nil {
            let sorted = try sortedNumbers(j, statistic: "quantiles")
            if let q = lowerQuantile { lower = NumericSummary.quantile(sorted, q) }
            if let q = upperQuantile { upper = NumericSummary.quantile(sorted, q) }
        }
        var clipped = 0
        for (i, value) in values.enumerated() {
            guard let value else { continue }
            if let lower, value < lower {
                set(i, j, CellNumber.format(lower), changed: &clipped)
            } else if let upper, value > upper {
                set(i, j, CellNumber.format(upper), changed: &clipped)
            }
        }
        changed += clipped
        let range = "[\(lower.map(CellNumber.format) ?? "-∞"), \(upper.map(CellNumber.format) ?? "∞")]"
        notes.append("\(column): clipped \(clipped) value\(clipped == 1 ? "" : "s") to \(range)")
    }

    mutating func cast(_ column: String, to type: CastType, onError: CastErrorPolicy,
                       changed: inout Int, notes: inout [String]) throws {
        let j = try index(of: column)
        guard type != .string else {
            notes.append("\(column): cells kept as text")
            return
        }
        var failed = 0
        for i in rows.indices {
            guard let cell = rows[i][j] else { continue }
            var converted: String?
            switch type {
            case .integer:
                if let x = CellNumber.value(cell), x == x.rounded(), abs(x) < 1e15 { converted = String(Int64(x)) }
            case .float:
                converted = CellNumber.value(cell).map { String($0) }
            case .boolean:
                converted = CellBoolean.parseForCast(cell).map { $0 ? "true" : "false" }
            case .string:
                converted = cell
            }
            if converted == nil {
                if onError == .fail {
                    throw CleaningError.castFailed(step: step, column: column, row: i + 1, value: cell, type: type)
                }
                failed += 1
            }
            set(i, j, converted, changed: &changed)
        }
        notes.append("\(column): cast to \(type.rawValue)" + (failed > 0 ? "; \(failed) cell\(failed == 1 ? "" : "s") made missing" : ""))
    }

    /// Standardizes (z-score) or normalizes (min–max) column `column`.
    mutating func rescale(_ column: String, standardize: Bool, changed: inout Int, notes: inout [String]) throws {
        let j = try index(of: column)
        let values = try numbers(j)
        let present = values.compactMap { $0 }
        guard !present.isEmpty else {
            throw CleaningError.noValues(step: step, op: op, column: column, statistic: standardize ? "mean" : "range")
        }
        let shift: Double, scale: Double
        if standardize {
            let mean = present.reduce(0, +) / Double(present.count)
            let variance = present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(present.count)
            let std = variance.squareRoot()
            shift = mean
            scale = std > 1e-12 * Swift.max(1, abs(mean)) ? std : 1
            notes.append("\(column): mean \(CellNumber.format(mean)), std \(CellNumber.format(std))")
        } else {
            let lo = present.min()!, hi = present.max()!
            shift = lo
            scale = hi > lo ? hi - lo : 1
            notes.append("\(column): min \(CellNumber.format(lo)), max \(CellNumber.format(hi))")
        }
        for (i, value) in values.enumerated() {
            guard let value else { continue }
            set(i, j, CellNumber.format((value - shift) / scale), changed: &changed)
        }
    }

    mutating func encode(_ column: String, method: EncodingMethod, changed: inout Int, notes: inout [String]) throws {
        let j = try index(of: column)
        let categories = ValueOrder.sorted(Array(Set(rows.compactMap { $0[j] })))
        switch method {
        case .ordinal:
            let codes = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, String($0)) })
            for i in rows.indices {
                if let cell = rows[i][j] { set(i, j, codes[cell], changed: &changed) }
            }
            notes.append("\(column): \(categories.count) categories coded 0…\(Swift.max(categories.count - 1, 0))")
        case .oneHot:
            let names = categories.map { "\(column)=\($0)" }
            for name in names where header.contains(name) {
                throw CleaningError.columnExists(step: step, op: op, column: name)
            }
            let positions = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
            header.replaceSubrange(j...j, with: names)
            for i in rows.indices {
                let cell = rows[i][j]
                var indicators = [String?](repeating: cell == nil ? nil : "0", count: names.count)
                if let cell { indicators[positions[cell]!] = "1" }
                rows[i].replaceSubrange(j...j, with: indicators)
            }
            changed += rows.count * names.count
            notes.append("\(column): \(names.count) indicator column\(names.count == 1 ? "" : "s")")
        }
    }
}
