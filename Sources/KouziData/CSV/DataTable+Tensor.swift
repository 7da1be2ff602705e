import KouziBase
import KouziTensor

extension DataTable {
    /// The numeric columns as a float32 matrix `[rowCount, columns.count]`.
    ///
    /// - Parameter names: the columns to use, in order; all columns when nil.
    /// - Throws: ``CSVError/unknownColumn(name:available:)``, ``CSVError/categoricalColumn(name:operation:)``
    ///   or ``CSVError/missingValues(column:count:firstRow:operation:)`` naming the first offending column.
    /// - Complexity: O(rows × columns).
    public func toTensor(columns names: [String]? = nil) throws -> Tensor {
        let chosen = names ?? columnNames
        var matrix: [[Double?]] = []
        for name in chosen {
            try StopRequest.check()
            let column = try column(named: name)
            guard let values = column.numericValues else {
                throw CSVError.categoricalColumn(name: name, operation: "toTensor")
            }
            if let first = column.firstMissingIndex {
                throw CSVError.missingValues(column: name, count: column.missingCount, firstRow: first + 1, operation: "toTensor")
            }
            matrix.append(values)
        }
        let width = chosen.count
        var scalars = [Float](repeating: 0, count: rowCount * width)
        for (j, values) in matrix.enumerated() {
            for i in 0..<rowCount { scalars[i * width + j] = Float(values[i]!) }
        }
        return Tensor(shape: [rowCount, width], scalars: scalars)
    }

    /// A numeric column of whole numbers as an int64 tensor `[rowCount]` (class ids).
    ///
    /// - Throws: ``CSVError`` for an unknown or categorical column, missing values, or a non-integer.
    public func labelTensor(column name: String) throws -> Tensor {
        let column = try column(named: name)
        guard let values = column.numericValues else {
            throw CSVError.categoricalColumn(name: name, operation: "labelTensor")
        }
        var labels = [Int64](repeating: 0, count: values.count)
        for (i, value) in values.enumerated() {
            guard let value else {
                throw CSVError.missingValues(column: name, count: column.missingCount, firstRow: i + 1, operation: "labelTensor")
            }
            guard value == value.rounded(), abs(value) < 9e18 else {
                throw CSVError.nonIntegerValue(column: name, row: i + 1, value: value)
            }
            labels[i] = Int64(value)
        }
        return Tensor(shape: [values.count], values: labels)
    }
}
