import KouziBase
import KouziData

/// Runs cleaning steps on a header and rows, one step at a time.
///
/// Row operations live here; operations that rewrite column values are in
/// `CleaningRunner+Columns.swift`.
struct CleaningRunner {
    var header: [String]
    var rows: [[String?]]

    /// The step being run, for error messages.
    var step = 0
    var op = ""

    func index(of column: String) throws -> Int {
        guard let j = header.firstIndex(of: column) else {
            throw CleaningError.unknownColumn(step: step, op: op, column: column, available: header)
        }
        return j
    }

    func indices(of columns: [String]?) throws -> [Int] {
        guard let columns else { return Array(header.indices) }
        return try columns.map(index(of:))
    }

    mutating func run(_ cleaningStep: CleaningStep, index position: Int) throws -> CleaningStepReport {
        step = position
        op = cleaningStep.op
        let before = rows.count
        let oldHeader = header
        var changed = 0
        var notes: [String] = []
        switch cleaningStep {
        case let .dropMissing(columns, how):
            let js = try indices(of: columns)
            rows.removeAll { row in
                how == .any ? js.contains { row[$0] == nil } : js.allSatisfy { row[$0] == nil }
            }
        case let .dropDuplicates(columns):
            var seen = Set<RowKey>()
            if let columns {
                let js = try indices(of: columns)
                rows = rows.filter { row in seen.insert(RowKey(js.map { row[$0] })).inserted }
            } else {
                rows = rows.filter { seen.insert(RowKey($0)).inserted }
            }
        case let .filter(column, comparison, value, values):
            let j = try index(of: column)
            let predicate = Self.predicate(comparison, value: value, values: values)
            rows = rows.filter { predicate($0[j]) }
        case let .split(ratios, seed, stratify, output):
            let counts = try split(ratios: ratios, seed: seed, stratify: stratify, output: output)
            changed = rows.count
            notes.append("train \(counts[0]), validation \(counts[1]), test \(counts[2])")
        case let .dropColumns(columns):
            let js = Set(try indices(of: columns))
            header = header.enumerated().filter { !js.contains($0.offset) }.map(\.element)
            for i in rows.indices {
                rows[i] = rows[i].enumerated().filter { !js.contains($0.offset) }.map(\.element)
            }
        case let .renameColumn(column, to):
            header[try index(of: column)] = to
        case let .impute(columns, strategy):
            for column in columns { try impute(column, strategy, changed: &changed, notes: &notes) }
        case let .clip(columns, min, max, lowerQuantile, upperQuantile):
            for column in columns {
                try clip(column, min: min, max: max, lowerQuantile: lowerQuantile, upperQuantile: upperQuantile,
                         changed: &changed, notes: &notes)
            }
        case let .cast(column, type, onError):
            try cast(column, to: type, onError: onError, changed: &changed, notes: &notes)
        case let .standardize(columns):
            for column in columns { try rescale(column, standardize: true, changed: &changed, notes: &notes) }
        case let .normalize(columns):
            for column in columns { try rescale(column, standardize: false, changed: &changed, notes: &notes) }
        case let .encode(column, method):
            try encode(column, method: method, changed: &changed, notes: &notes)
        }
        let oldSet = Set(oldHeader), newSet = Set(header)
        return CleaningStepReport(step: position, op: op, rowsBefore: before, rowsAfter: rows.count, cellsChanged: changed,
                                  columnsAdded: header.filter { !oldSet.contains($0) },
                                  columnsRemoved: oldHeader.filter { !newSet.contains($0) }, notes: notes)
    }

    /// The test a filter applies to one cell.
    static func predicate(_ comparison: FilterOperator, value: String?, values: [String]?) -> (String?) -> Bool {
        func equal(_ cell: String, _ target: String) -> Bool {
            if let a = CellNumber.value(cell), let b = CellNumber.value(target) { return a == b }
            return cell == target
        }
        let number = value.flatMap(CellNumber.value)
        func compare(_ test: @escaping (Double, Double) -> Bool) -> (String?) -> Bool {
            { cell in
                guard let cell, let number, let x = CellNumber.value(cell) else { return false }
                return test(x, number)
            }
        }
        let set = values ?? []
        switch comparison {
        case .isMissing: return { $0 == nil }
        case .notMissing: return { $0 != nil }
        case .equal: return { cell in cell.map { equal($0, value ?? "") } ?? false }
        case .notEqual: return { cell in cell.map { !equal($0, value ?? "") } ?? false }
        case .less: return compare(<)
        case .lessOrEqual: return compare(<=)
        case .greater: return compare(>)
        case .greaterOrEqual: return compare(>=)
        case .in: return { cell in cell.map { c in set.contains { equal(c, $0) } } ?? false }
        case .notIn: return { cell in cell.map { c in !set.contains { equal(c, $0) } } ?? false }
        }
    }

    /// Adds the split column; returns the part sizes.
    private mutating func split(ratios: SplitRatios, seed: UInt64, stratify: String?, output: String) throws -> [Int] {
        var labels: [Int]?
        if let stratify {
            let j = try index(of: stratify)
            // Missing labels form a class of their own, so they are spread over the parts too.
            let texts = rows.map { $0[j] ?? "\u{0}missing" }
            let classes = ValueOrder.sorted(Array(Set(texts)))
            let ids = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
            labels = texts.map { ids[$0]! }
        }
        let parts: [[Int]]
        do {
            parts = try DataSplit.indices(count: rows.count, fractions: [ratios.train, ratios.validation, ratios.test],
                                          seed: seed, stratifyBy: labels)
        } catch {
            throw CleaningError.splitFailed(step: step, reason: "\(error)")
        }
        let names = ["train", "validation", "test"]
        var assignment = [String?](repeating: nil, count: rows.count)
        for (part, members) in parts.enumerated() {
            for i in members { assignment[i] = names[part] }
        }
        header.append(output)
        for i in rows.indices { rows[i].append(assignment[i]) }
        return parts.map(\.count)
    }
}
