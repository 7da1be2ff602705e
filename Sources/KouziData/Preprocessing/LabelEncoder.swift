import KouziTensor

/// Maps string labels to class ids `0..<classes.count` (int64) and back.
///
/// Classes are the sorted distinct labels seen by ``fit(_:)``.
///
/// ```swift
/// var encoder = LabelEncoder()
/// let y = try encoder.fitTransform(["cat", "dog", "cat"])   // [0, 1, 0] int64
/// encoder.classes                                           // ["cat", "dog"]
/// ```
public struct LabelEncoder: Sendable, Codable, Equatable {
    /// The class names; the id of a class is its index.
    public private(set) var classes: [String]

    /// An unfitted encoder.
    public init() { classes = [] }

    /// An encoder with known classes, in id order.
    public init(classes: [String]) { self.classes = classes }

    /// Number of classes.
    public var classCount: Int { classes.count }

    /// Learns the sorted distinct labels.
    public mutating func fit(_ labels: [String]) {
        classes = Set(labels).sorted()
    }

    /// Learns the labels of a table column (numbers become text: `2.0` as `"2"`).
    ///
    /// - Throws: ``PreprocessingError/missingCategory(column:row:)`` for a missing value.
    public mutating func fit(_ column: DataTable.Column, name: String = "labels") throws {
        fit(try Self.labels(column, name: name))
    }

    /// The class ids of `labels`, as an int64 tensor `[labels.count]`.
    ///
    /// - Throws: ``PreprocessingError/unknownLabel(value:index:classes:)``.
    public func transform(_ labels: [String]) throws -> Tensor {
        guard !classes.isEmpty else { throw PreprocessingError.notFitted(transformer: "LabelEncoder") }
        let lookup = Dictionary(classes.enumerated().map { ($1, Int64($0)) }, uniquingKeysWith: { first, _ in first })
        let ids = try labels.enumerated().map { index, label in
            guard let id = lookup[label] else {
                throw PreprocessingError.unknownLabel(value: label, index: index, classes: classes)
            }
            return id
        }
        return Tensor(shape: [ids.count], values: ids)
    }

    /// The class ids of a table column.
    public func transform(_ column: DataTable.Column, name: String = "labels") throws -> Tensor {
        try transform(try Self.labels(column, name: name))
    }

    /// Fits on `labels` and returns their ids.
    public mutating func fitTransform(_ labels: [String]) throws -> Tensor {
        fit(labels)
        return try transform(labels)
    }

    /// The labels of class ids (any integer dtype, or whole-number floats).
    ///
    /// - Throws: ``PreprocessingError/classIDOutOfRange(id:index:classCount:)``.
    public func inverseTransform(_ ids: Tensor) throws -> [String] {
        guard !classes.isEmpty else { throw PreprocessingError.notFitted(transformer: "LabelEncoder") }
        return try ids.intScalars.enumerated().map { index, id in
            guard id >= 0 && id < classes.count else {
                throw PreprocessingError.classIDOutOfRange(id: id, index: index, classCount: classes.count)
            }
            return classes[id]
        }
    }

    private static func labels(_ column: DataTable.Column, name: String) throws -> [String] {
        try column.textValues.enumerated().map { row, value in
            guard let value else { throw PreprocessingError.missingCategory(column: name, row: row + 1) }
            return value
        }
    }
}
