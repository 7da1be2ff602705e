import KouziTensor

/// Loader for the small datasets bundled with scikit-learn (`shared/datasets/sklearn-bundled/data`).
///
/// Classification files start with a header `n_samples,n_features,class_0,class_1,…` followed by rows of
/// features and an integer class; `digits.csv.gz` has no header; diabetes is split into
/// space-separated features and targets.
///
/// ```swift
/// let iris = try SklearnBundled.load(.iris, directory: DatasetLocator.directory(named: "sklearn-bundled")!)
/// iris.x.shape        // [150, 4]; iris.y is int64 [150]; iris.classNames == ["setosa", …]
/// ```
public enum SklearnBundled {
    /// The bundled datasets.
    public enum Name: String, Sendable, CaseIterable {
        /// Iris: 150 × 4, 3 classes.
        case iris
        /// Wine: 178 × 13, 3 classes.
        case wine
        /// Breast cancer (Wisconsin diagnostic): 569 × 30, 2 classes.
        case breastCancer = "breast_cancer"
        /// Digits 8×8: 1797 × 64 (pixel counts 0–16), 10 classes.
        case digits
        /// Diabetes: 442 × 10 raw features, a regression target.
        case diabetes
    }

    /// Loads a dataset from the `sklearn-bundled` folder (the one holding `data/`).
    ///
    /// - Returns: float32 features `[N, F]`; int64 class ids `[N]` with their names, or for diabetes a
    ///   float32 target `[N]` and no class names.
    /// - Throws: ``CSVError`` when a file is absent or malformed.
    public static func load(_ name: Name, directory: String) throws -> (x: Tensor, y: Tensor, classNames: [String]) {
        let data = directory + "/data/"
        switch name {
        case .diabetes:
            let x = try CSVReader(delimiter: " ", hasHeader: false).read(file: data + "diabetes_data_raw.csv.gz")
            let y = try CSVReader(hasHeader: false).read(file: data + "diabetes_target.csv.gz")
            let target = try y.toTensor()
            return (try x.toTensor(), Tensor(shape: [target.shape[0]], scalars: target.scalars), [])
        case .digits:
            let table = try CSVReader(hasHeader: false).read(file: data + "digits.csv.gz")
            let label = table.columnNames.last!
            return (try table.dropping([label]).toTensor(), try table.labelTensor(column: label), (0...9).map(String.init))
        case .iris, .wine, .breastCancer:
            return try classification(path: data + (name == .wine ? "wine_data" : name.rawValue) + ".csv")
        }
    }

    /// Parses a file whose header is `n_samples,n_features,class names…`.
    private static func classification(path: String) throws -> (x: Tensor, y: Tensor, classNames: [String]) {
        let bytes: [UInt8]
        do { bytes = try FileBytes.contents(of: path) } catch {
            throw CSVError.unreadableFile(path: path, reason: error.reason)
        }
        let records = try CSVParser(source: path).parse(bytes)
        guard let header = records.first else { throw CSVError.emptyInput(source: path) }
        guard header.fields.count >= 2, let samples = Int(header.fields[0]), let features = Int(header.fields[1]),
              samples >= 0, features >= 0 else {
            throw CSVError.nonNumericValue(source: path, line: 1, column: 1, name: "n_samples",
                                           value: header.fields.first ?? "")
        }
        let rows = records.dropFirst()
        guard rows.count == samples else {
            throw CSVError.raggedRow(source: path, line: records.last?.line ?? 1, expected: samples, got: rows.count)
        }
        var x = [Float](), y = [Int64]()
        x.reserveCapacity(samples * features)
        for record in rows {
            guard record.fields.count == features + 1 else {
                throw CSVError.raggedRow(source: path, line: record.line, expected: features + 1, got: record.fields.count)
            }
            for (j, field) in record.fields.enumerated() {
                guard let value = Double(field.trimmingSpaces()) else {
                    throw CSVError.nonNumericValue(source: path, line: record.line, column: j + 1,
                                                   name: j == features ? "target" : "feature \(j + 1)", value: field)
                }
                if j < features {
                    x.append(Float(value))
                } else {
                    guard value == value.rounded(), value >= 0 else {
                        throw CSVError.nonIntegerValue(column: "target", row: y.count + 1, value: value)
                    }
                    y.append(Int64(value))
                }
            }
        }
        return (Tensor(shape: [samples, features], scalars: x), Tensor(shape: [samples], values: y),
                Array(header.fields.dropFirst(2)))
    }
}
