import KouziData
import KouziNN
import KouziTensor
import KouziTraining

/// How targets are given to the loss, decided by the loss's name.
package enum TargetForm: String, Codable, Sendable {
    /// Integer class ids `[N]` (sparse categorical cross-entropy).
    case classIDs = "class_ids"
    /// One-hot rows `[N, C]` (categorical cross-entropy).
    case oneHot = "one_hot"
    /// 0/1 values `[N, 1]` (binary cross-entropy).
    case binary
    /// Real values `[N, 1]` (regression losses).
    case value

    /// The form a loss expects.
    package init(loss: Loss) {
        switch loss.name {
        case "sparse_categorical_crossentropy": self = .classIDs
        case "categorical_crossentropy": self = .oneHot
        case "binary_crossentropy": self = .binary
        default: self = .value
        }
    }

    /// Whether the model predicts classes.
    package var isClassification: Bool { self != .value }
}

/// The fitted encoding of a model's target: class names for classification, the standardisation of a
/// regression target.
package struct TargetEncoding: Codable, Equatable, Sendable {
    /// How targets reach the loss.
    package var form: TargetForm
    /// The target column of a table, nil for images.
    package var column: String?
    /// Class names in id order; nil when the ids themselves are the labels (MNIST digits).
    package var classes: [String]?
    /// Number of classes the model's output covers (classification).
    package var classCount: Int?
    /// Mean subtracted from a regression target during training.
    package var mean: Double?
    /// Divisor of a regression target during training.
    package var scale: Double?

    /// The encoding of a table's target column; classes are learned from `values`.
    ///
    /// Whole numbers sort numerically (`2` before `10`), text sorts alphabetically.
    package static func fit(_ values: DataTable.Column, column: String, form: TargetForm) throws -> TargetEncoding {
        var encoding = TargetEncoding(form: form, column: column)
        if let row = values.textValues.firstIndex(where: { $0 == nil }) {
            throw TrainingError.invalidData("target column '\(column)' has a missing value in data row \(row + 1); "
                + "remove the rows without a target")
        }
        guard form.isClassification else {
            guard let numbers = values.numericValues else {
                throw TrainingError.invalidData("target column '\(column)' holds text, but the loss is a regression loss; "
                    + "use sparse_categorical_crossentropy to predict classes")
            }
            if let row = numbers.firstIndex(where: { !($0?.isFinite ?? true) }) {
                throw TrainingError.invalidData("target column '\(column)' has the infinite value \(numbers[row]!) in data row \(row + 1)")
            }
            return encoding
        }
        if let numbers = values.numericValues?.compactMap({ $0 }) {
            if let bad = numbers.firstIndex(where: { $0 != $0.rounded() }) {
                throw TrainingError.invalidData("target column '\(column)' holds the non-integer \(numbers[bad]) (data row \(bad + 1)); "
                    + "a classification loss needs class labels (use mse to predict numbers)")
            }
            encoding.classes = Set(numbers).sorted().map { DataTable.Column.numeric([$0]).textValues[0]! }
        } else {
            encoding.classes = Set(values.textValues.compactMap { $0 }).sorted()
        }
        encoding.classCount = encoding.classes?.count
        if let classes = encoding.classes, classes.count < 2 {
            throw TrainingError.invalidData("target column '\(column)' has only one class (\(classes.first ?? "")); "
                + "a classifier needs examples of at least two")
        }
        if form == .binary, let classes = encoding.classes, classes.count > 2 {
            throw TrainingError.invalidData("target column '\(column)' has \(classes.count) classes (\(Self.list(classes))), "
                + "but binary_crossentropy needs two; use sparse_categorical_crossentropy")
        }
        return encoding
    }

    /// The encoding of integer labels (IDX label files), with optional class names.
    package static func fit(labels: [Int], form: TargetForm, classNames: [String]?) throws -> TargetEncoding {
        var encoding = TargetEncoding(form: form)
        if let bad = labels.first(where: { $0 < 0 }) {
            throw TrainingError.invalidData("label \(bad) is negative; class labels must be 0, 1, 2, …")
        }
        if form.isClassification {
            let count = (labels.max() ?? 0) + 1
            encoding.classCount = count
            if let classNames, classNames.count >= count { encoding.classes = classNames }
        }
        return encoding
    }

    /// Checks the model's output against the target and fixes the class count to the output's width.
    package mutating func match(outputShape: [Int]) throws {
        let units = outputShape.count == 2 ? outputShape[1] : -1
        switch form {
        case .classIDs, .oneHot:
            let count = classCount ?? 0
            if classes != nil && column != nil && units != count {
                throw TrainingError.invalidData("the model's last layer has \(Self.units(outputShape)) but target '\(column!)' "
                    + "has \(count) classes (\(Self.list(classes!))): set the last layer's units to \(count)")
            }
            guard units >= max(count, 2) else {
                throw TrainingError.invalidData("the model's last layer has \(Self.units(outputShape)) but the labels need "
                    + "at least \(max(count, 2)) (labels 0…\(max(count - 1, 1)))")
            }
            classCount = units
            if let names = classes, names.count != units { classes = nil }
        case .binary:
            guard units == 1 else {
                throw TrainingError.invalidData("binary_crossentropy needs a last layer with 1 unit, the model has \(Self.units(outputShape))")
            }
            guard (classCount ?? 2) <= 2 else {
                throw TrainingError.invalidData("binary_crossentropy needs labels 0 and 1, the data has \(classCount!) classes")
            }
            classCount = 2
        case .value:
            guard units == 1 else {
                throw TrainingError.invalidData("a regression target needs a last layer with 1 unit, the model has \(Self.units(outputShape))")
            }
        }
    }

    /// The targets of a table column in the loss's form (regression values unscaled).
    package func encode(_ values: DataTable.Column) throws -> Tensor {
        let name = column ?? "target"
        guard form.isClassification else {
            guard let numbers = values.numericValues else {
                throw TrainingError.invalidData("target column '\(name)' holds text, but the model predicts numbers")
            }
            let present = try numbers.enumerated().map { row, value in
                guard let value else { throw TrainingError.invalidData("target column '\(name)' has a missing value in data row \(row + 1)") }
                return Float(value)
            }
            return Tensor(shape: [present.count, 1], scalars: present)
        }
        guard let classes else { return try encode(ids: try LabelEncoder.wholeNumbers(values, column: name)) }
        let ids = try LabelEncoder(classes: classes).transform(values, name: name)
        return try encode(ids: ids.intScalars)
    }

    /// Targets from class ids (or values, for regression).
    package func encode(ids: [Int]) throws -> Tensor {
        let count = classCount ?? ((ids.max() ?? 0) + 1)
        if form.isClassification, let bad = ids.firstIndex(where: { $0 < 0 || $0 >= count }) {
            throw NNError.labelOutOfRange(label: ids[bad], classes: count)
        }
        switch form {
        case .classIDs: return Tensor(shape: [ids.count], values: ids.map { Int64($0) })
        case .oneHot: return Tensor.oneHot(Tensor(shape: [ids.count], values: ids.map { Int64($0) }), classes: count)
        case .binary, .value: return Tensor(shape: [ids.count, 1], scalars: ids.map { Float($0) })
        }
    }

    /// Learns the standardisation of regression targets `y` (`[N, 1]`).
    package mutating func fitScale(_ y: Tensor) {
        let values = y.scalars.map(Double.init)
        let m = values.reduce(0, +) / Double(max(values.count, 1))
        let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(values.count, 1))
        mean = m
        scale = variance > 1e-24 ? variance.squareRoot() : 1
    }

    /// Targets in the units the model was trained on.
    package func scaled(_ y: Tensor) -> Tensor {
        guard let mean, let scale else { return y }
        return Tensor(shape: y.shape, scalars: y.scalars.map { Float((Double($0) - mean) / scale) })
    }

    /// Model outputs in the target's original units.
    package func unscaled(_ outputs: Tensor) -> Tensor {
        guard let mean, let scale, outputs.dtype == .float32 else { return outputs }
        return Tensor(shape: outputs.shape, scalars: outputs.scalars.map { Float(Double($0) * scale + mean) })
    }

    private static func units(_ shape: [Int]) -> String {
        shape.count == 2 ? "\(shape[1]) unit\(shape[1] == 1 ? "" : "s")" : "output shape \(shape)"
    }

    package static func list(_ names: [String]) -> String {
        names.count <= 8 ? names.joined(separator: ", ") : names.prefix(8).joined(separator: ", ") + ", …"
    }
}

extension LabelEncoder {
    /// Whole-number class ids of a numeric column.
    package static func wholeNumbers(_ values: DataTable.Column, column: String) throws -> [Int] {
        guard let numbers = values.numericValues else {
            throw TrainingError.invalidData("target column '\(column)' holds text, but the model was trained on numbered classes")
        }
        return try numbers.enumerated().map { row, value in
            guard let value, value == value.rounded(), abs(value) < 1e15 else {
                let text = value.map { String($0) } ?? "a missing value"
                throw TrainingError.invalidData("target column '\(column)' data row \(row + 1): \(text) is not a class id")
            }
            return Int(value)
        }
    }
}
