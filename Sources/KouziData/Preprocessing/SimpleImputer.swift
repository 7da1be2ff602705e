import KouziBase
import KouziTensor

/// Replaces missing values with a per-column statistic: mean, median, most frequent value, or a constant.
///
/// Works on feature matrices (where NaN is missing) and on ``DataTable`` columns (where `nil` is missing;
/// categorical columns accept `mostFrequent` and `constant`). Ties of `mostFrequent` go to the smallest
/// value, as in scikit-learn.
///
/// ```swift
/// var imputer = SimpleImputer(strategy: .median)
/// let filled = try imputer.fitTransform(table)
/// ```
public struct SimpleImputer: FeatureTransformer, Equatable {
    /// How the fill value of a column is chosen.
    public enum Strategy: String, Sendable, Codable, CaseIterable {
        /// The mean of the present values (numeric only).
        case mean
        /// The median of the present values (numeric only).
        case median
        /// The most frequent present value (smallest on ties).
        case mostFrequent
        /// ``SimpleImputer/fillValue`` for numbers, ``SimpleImputer/fillText`` for categories.
        case constant
    }

    /// A learned fill value.
    public enum Fill: Sendable, Codable, Equatable {
        /// A number for a numeric column.
        case number(Double)
        /// A label for a categorical column.
        case text(String)
    }

    /// The strategy.
    public var strategy: Strategy
    /// The constant for numeric columns under `.constant`.
    public var fillValue: Double
    /// The constant for categorical columns under `.constant`.
    public var fillText: String
    /// Per-feature fill values learned by ``fit(_:)-(Tensor)``; empty before.
    public private(set) var statistics: [Double] = []
    /// The columns and fill values learned by ``fit(_:columns:)``; empty before.
    public private(set) var columnFills: [String: Fill] = [:]
    private var featureCount: Int?

    /// Creates an unfitted imputer.
    public init(strategy: Strategy = .mean, fillValue: Double = 0, fillText: String = "missing") {
        self.strategy = strategy
        self.fillValue = fillValue
        self.fillText = fillText
    }

    // MARK: Feature matrices

    /// Learns a fill value for every feature of `x`; NaN marks missing values.
    public mutating func fit(_ x: Tensor) throws {
        let (rows, features) = try FeatureMatrix.dimensions(x, "SimpleImputer")
        guard rows > 0 || strategy == .constant else { throw PreprocessingError.emptyInput(transformer: "SimpleImputer") }
        statistics = try FeatureMatrix.columns(x, rows: rows, features: features).enumerated().map { j, values in
            try numericFill(values, feature: FeatureMatrix.featureName(j))
        }
        featureCount = features
    }

    /// Replaces every NaN of `x` with its feature's fill value.
    public func transform(_ x: Tensor) throws -> Tensor {
        let (_, features) = try FeatureMatrix.check(x, fitted: featureCount, "SimpleImputer")
        let fills = statistics.map { Float($0) }
        let scalars = x.withUnsafeFloats { p in
            (0..<p.count).map { k in p[k].isNaN ? fills[k % features] : p[k] }
        }
        return Tensor(shape: x.shape, scalars: scalars)
    }

    // MARK: Tables

    /// Learns a fill value for each named column (all columns when `columns` is nil).
    ///
    /// - Throws: ``PreprocessingError/strategyNotApplicable(strategy:column:)`` for the mean or median of a
    ///   categorical column, ``PreprocessingError/allMissing(transformer:feature:)`` when a column has no
    ///   value to learn from, ``CSVError/unknownColumn(name:available:)``.
    public mutating func fit(_ table: DataTable, columns: [String]? = nil) throws {
        var fills: [String: Fill] = [:]
        for name in columns ?? table.columnNames {
            try StopRequest.check()
            switch try table.column(named: name) {
            case let .numeric(values):
                fills[name] = .number(try numericFill(values.compactMap { $0 }, feature: "column '\(name)'"))
            case let .categorical(values):
                fills[name] = .text(try textFill(values.compactMap { $0 }, column: name))
            }
        }
        columnFills = fills
    }

    /// Fills the missing values of the fitted columns.
    public func transform(_ table: DataTable) throws -> DataTable {
        guard !columnFills.isEmpty else { throw PreprocessingError.notFitted(transformer: "SimpleImputer") }
        var result = table
        for name in table.columnNames {
            try StopRequest.check()
            guard let fill = columnFills[name] else { continue }
            switch (try table.column(named: name), fill) {
            case let (.numeric(values), .number(number)):
                try result.setColumn(name, to: .numeric(values.map { $0 ?? number }))
            case let (.categorical(values), .text(text)):
                try result.setColumn(name, to: .categorical(values.map { $0 ?? text }))
            case (.numeric, .text):
                throw PreprocessingError.columnMismatch(transformer: "SimpleImputer", column: name,
                                                        reason: "was categorical when fitted but is numeric now")
            case (.categorical, .number):
                throw PreprocessingError.columnMismatch(transformer: "SimpleImputer", column: name,
                                                        reason: "was numeric when fitted but is categorical now")
            }
        }
        for name in columnFills.keys.sorted() where table.index(ofColumn: name) == nil {
            throw PreprocessingError.columnMismatch(transformer: "SimpleImputer", column: name, reason: "is absent")
        }
        return result
    }

    /// Fits on `table` and returns it with missing values filled.
    public mutating func fitTransform(_ table: DataTable, columns: [String]? = nil) throws -> DataTable {
        try fit(table, columns: columns)
        return try transform(table)
    }

    // MARK: Statistics

    private func numericFill(_ values: [Double], feature: String) throws -> Double {
        if strategy == .constant { return fillValue }
        guard !values.isEmpty else { throw PreprocessingError.allMissing(transformer: "SimpleImputer", feature: feature) }
        switch strategy {
        case .mean:
            return values.reduce(0, +) / Double(values.count)
        case .median:
            let sorted = values.sorted()
            let mid = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        case .mostFrequent:
            return Self.mode(values)
        case .constant:
            return fillValue
        }
    }

    private func textFill(_ values: [String], column: String) throws -> String {
        switch strategy {
        case .constant:
            return fillText
        case .mostFrequent:
            guard !values.isEmpty else {
                throw PreprocessingError.allMissing(transformer: "SimpleImputer", feature: "column '\(column)'")
            }
            return Self.mode(values)
        case .mean, .median:
            throw PreprocessingError.strategyNotApplicable(strategy: strategy.rawValue, column: column)
        }
    }

    /// The most frequent element, the smallest among ties.
    private static func mode<T: Hashable & Comparable>(_ values: [T]) -> T {
        var counts: [T: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
    }
}
