/// A compressed sparse row (CSR) matrix of `Float` values with `Int32` column indices.
///
/// Row `r` holds the entries `rowStart[r]..<rowStart[r + 1]` of `columns`/`values`, with columns sorted
/// ascending inside a row, so two rows can be intersected by a sorted merge. Building from `n` triplets
/// is O(n + rows) with two passes (a counting sort), no per-entry allocation.
public struct CSRMatrix: Sendable, Equatable {
    /// The number of rows.
    public let rowCount: Int
    /// The number of columns.
    public let columnCount: Int
    /// Offsets of each row's entries; `rowCount + 1` long.
    public let rowStart: [Int]
    /// The column of each stored entry.
    public let columns: [Int32]
    /// The value of each stored entry.
    public let values: [Float]

    /// Builds a matrix from triplets; duplicate (row, column) pairs are kept as separate entries.
    ///
    /// - Precondition: every row is in `0..<rowCount` and every column in `0..<columnCount`, the three arrays
    ///   of equal length. Internal: only the data-set layer, which has checked its ids, builds matrices.
    init(rowCount: Int, columnCount: Int, rows: [Int32], columns: [Int32], values: [Float]) {
        precondition(rows.count == columns.count && rows.count == values.count, "triplet arrays differ in length")
        self.rowCount = rowCount
        self.columnCount = columnCount
        var start = [Int](repeating: 0, count: rowCount + 1)
        for r in rows { start[Int(r) + 1] += 1 }
        for r in 0..<rowCount { start[r + 1] += start[r] }
        var fill = start
        var cols = [Int32](repeating: 0, count: rows.count)
        var vals = [Float](repeating: 0, count: rows.count)
        for k in 0..<rows.count {
            let r = Int(rows[k])
            cols[fill[r]] = columns[k]
            vals[fill[r]] = values[k]
            fill[r] += 1
        }
        // Sort each row by column (rows are short: insertion sort on pairs).
        cols.withUnsafeMutableBufferPointer { c in
            vals.withUnsafeMutableBufferPointer { v in
                for r in 0..<rowCount {
                    let lo = start[r], hi = start[r + 1]
                    if hi - lo < 2 { continue }
                    var i = lo + 1
                    while i < hi {
                        let key = c[i], value = v[i]
                        var j = i - 1
                        while j >= lo && c[j] > key { c[j + 1] = c[j]; v[j + 1] = v[j]; j -= 1 }
                        c[j + 1] = key; v[j + 1] = value
                        i += 1
                    }
                }
            }
        }
        rowStart = start
        self.columns = cols
        self.values = vals
    }

    /// The number of stored entries.
    public var nonZeroCount: Int { values.count }

    /// The number of entries in row `r`.
    @inline(__always) public func rowLength(_ r: Int) -> Int { rowStart[r + 1] - rowStart[r] }

    /// The entry range of row `r` in `columns`/`values`.
    @inline(__always) public func range(of r: Int) -> Range<Int> { rowStart[r]..<rowStart[r + 1] }

    /// The value at (`row`, `column`), or nil when not stored (binary search, O(log row length)).
    public func value(row: Int, column: Int) -> Float? {
        var lo = rowStart[row], hi = rowStart[row + 1]
        let key = Int32(column)
        while lo < hi {
            let mid = (lo + hi) >> 1
            if columns[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < rowStart[row + 1] && columns[lo] == key ? values[lo] : nil
    }

    /// The transpose, in CSR form (equivalently this matrix in CSC form). O(nnz + columns).
    public func transposed() -> CSRMatrix {
        var rows = [Int32](repeating: 0, count: nonZeroCount)
        for r in 0..<rowCount { for k in range(of: r) { rows[k] = Int32(r) } }
        return CSRMatrix(rowCount: columnCount, columnCount: rowCount, rows: columns, columns: rows, values: values)
    }
}
