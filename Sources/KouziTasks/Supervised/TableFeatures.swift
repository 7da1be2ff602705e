import KouziData
import KouziTensor
import KouziTraining

/// The fitted transform from the feature columns of a CSV table to a model's input matrix.
///
/// Missing numbers are replaced by the column mean and missing categories by the most frequent one;
/// categorical columns are one-hot encoded (an unseen category becomes all zeros); every feature is
/// then standardised. All statistics come from the training rows and are saved with the model.
package struct TableFeatures: Codable, Equatable, Sendable {
    /// The most categories a column may have before one-hot encoding is refused.
    package static let maximumCategories = 1000

    /// The raw feature columns, in the order they were fitted.
    package var columns: [String]
    /// The columns among ``columns`` that hold text.
    package var categorical: [String]
    /// Mean imputation of the numeric columns.
    package var numericImputer: SimpleImputer?
    /// Most-frequent imputation of the categorical columns.
    package var categoricalImputer: SimpleImputer?
    /// One-hot encoding of the categorical columns.
    package var encoder: OneHotEncoder?
    /// Standardisation of the encoded features.
    package var scaler: StandardScaler
    /// The names of the model's input features, in order.
    package var featureNames: [String]

    /// Learns the transform from `table` (feature columns only) and returns it with the transformed matrix.
    package static func fit(_ table: DataTable) throws -> (features: TableFeatures, x: Tensor) {
        guard table.columnCount > 0 else {
            throw TrainingError.invalidData("no feature columns are left besides the target")
        }
        guard table.rowCount > 0 else { throw TrainingError.invalidData("the data has no rows") }
        try requireFiniteNumbers(table, source: nil)
        let categorical = table.columnNames.filter { table[$0]?.isNumeric == false }
        let numeric = table.columnNames.filter { table[$0]?.isNumeric == true }
        for name in categorical {
            let distinct = Set(table[name]?.textValues.compactMap { $0 } ?? []).count
            if distinct > maximumCategories {
                throw TrainingError.invalidData("column '\(name)' holds text with \(distinct) distinct values; one-hot encoding "
                    + "it would add \(distinct) features: leave it out with --exclude '\(name)'")
            }
        }
        var encoded = table
        var numericImputer: SimpleImputer?, categoricalImputer: SimpleImputer?, encoder: OneHotEncoder?
        if !numeric.isEmpty {
            var imputer = SimpleImputer(strategy: .mean)
            encoded = try imputer.fitTransform(encoded, columns: numeric)
            numericImputer = imputer
        }
        if !categorical.isEmpty {
            var imputer = SimpleImputer(strategy: .mostFrequent)
            encoded = try imputer.fitTransform(encoded, columns: categorical)
            categoricalImputer = imputer
            var oneHot = OneHotEncoder(handleUnknown: .ignore)
            encoded = try oneHot.fitTransform(encoded, columns: categorical)
            encoder = oneHot
        }
        var scaler = StandardScaler()
        let x = try scaler.fitTransform(try encoded.toTensor())
        let features = TableFeatures(columns: table.columnNames, categorical: categorical, numericImputer: numericImputer,
                                     categoricalImputer: categoricalImputer, encoder: encoder, scaler: scaler,
                                     featureNames: encoded.columnNames)
        return (features, x)
    }

    /// For each raw column, the indices of the model's input features made from it (the column itself, or its one-hot
    /// indicators), in the order of ``columns``.
    package var featureGroups: [[Int]] {
        var source: [String: String] = [:]
        if let encoder {
            for (column, names) in zip(encoder.columns, encoder.featureNamesByColumn) { for name in names { source[name] = column } }
        }
        var groups = [[Int]](repeating: [], count: columns.count)
        let position = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for (j, name) in featureNames.enumerated() {
            if let column = source[name] ?? (position[name] != nil ? name : nil), let at = position[column] { groups[at].append(j) }
        }
        return groups
    }

    /// The model input for the rows of `table`, which must hold every fitted column (others are ignored).
    package func transform(_ table: DataTable, source: String) throws -> Tensor {
        try requireColumns(of: table, source: source)
        var encoded = try table.selecting(columns)
        try Self.requireFiniteNumbers(encoded, source: source)
        if let numericImputer { encoded = try numericImputer.transform(encoded) }
        if let categoricalImputer { encoded = try categoricalImputer.transform(encoded) }
        if let encoder { encoded = try encoder.transform(encoded) }
        return try scaler.transform(try encoded.toTensor())
    }

    /// Reads a CSV file for this transform: columns fitted as text are read as text and columns fitted as
    /// numbers must hold numbers (an error names the line and column of the first that does not).
    package func read(file path: String, reader: CSVReader) throws -> DataTable {
        try read(source: path, reader: reader) { try $0.read(file: path) }
    }

    /// Reads CSV text held as UTF-8 bytes as ``read(file:reader:)`` reads a file; `source` names it in errors.
    package func read(bytes: [UInt8], source: String, reader: CSVReader) throws -> DataTable {
        try read(source: source, reader: reader) { try $0.read(bytes: bytes, source: source) }
    }

    private func read(source: String, reader: CSVReader, _ load: (CSVReader) throws -> DataTable) throws -> DataTable {
        let table = try load(reader)
        try requireColumns(of: table, source: source)
        var declared: [String: CSVReader.ColumnType] = [:]
        for name in columns {
            let wantsText = categorical.contains(name)
            if table[name]?.isNumeric == wantsText { declared[name] = wantsText ? .categorical : .numeric }
        }
        guard !declared.isEmpty else { return table }
        var typed = reader
        typed.columnTypes.merge(declared) { _, new in new }
        return try load(typed)
    }

    /// Throws for an infinite number (`inf` parses as a number but no statistic survives it).
    private static func requireFiniteNumbers(_ table: DataTable, source: String? = nil) throws {
        for (name, column) in zip(table.columnNames, table.columns) {
            guard let values = column.numericValues, let row = values.firstIndex(where: { !($0?.isFinite ?? true) }) else { continue }
            throw TrainingError.invalidData((source.map { "\($0): " } ?? "") + "column '\(name)' has the infinite value "
                + "\(values[row]!) in data row \(row + 1)")
        }
    }

    private func requireColumns(of table: DataTable, source: String) throws {
        let missing = columns.filter { table.index(ofColumn: $0) == nil }
        guard missing.isEmpty else {
            throw TrainingError.invalidData("\(source): missing feature column\(missing.count == 1 ? "" : "s") "
                + "\(missing.map { "'\($0)'" }.joined(separator: ", ")) that the model was trained on "
                + "(the file has: \(table.columnNames.joined(separator: ", ")))")
        }
    }
}
