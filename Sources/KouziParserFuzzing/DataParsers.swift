import KouziData
import KouziTables

/// The fuzz targets of the data modules: CSV tables and IDX arrays.
enum DataParsers {
    static func csv(_ bytes: [UInt8]) {
        _ = try? CSVReader().read(bytes: bytes)
        _ = try? CSVReader(delimiter: ";", hasHeader: false, trimsWhitespace: true).read(bytes: bytes)
        _ = try? RawTable(csv: bytes)
    }

    static func idx(_ bytes: [UInt8]) {
        // The element data must match the declared shape, so the conversions are bounded by the input size
        // (or by what its gzip stream expands to).
        guard let file = try? IDXFile(bytes: bytes) else { return }
        _ = file.floatTensor(normalized: true)
        _ = try? file.int64Tensor()
    }
}
