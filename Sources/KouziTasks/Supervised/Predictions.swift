import Foundation
import KouziBase
import KouziNN
import KouziTensor

/// A model's outputs read as answers: a class with its probabilities, or a value in the target's units.
package struct Predictions {
    /// Class names of a classifier (column order of ``probabilities``); empty for regression.
    package var classNames: [String] = []
    /// The predicted class id of each row (classification).
    package var classIDs: [Int] = []
    /// The class probabilities of each row (classification).
    package var probabilities: [[Float]] = []
    /// The predicted values of each row (regression): one per output unit.
    package var values: [[Float]] = []

    /// Predictions of a classifier, as given.
    package init(classNames: [String], classIDs: [Int], probabilities: [[Float]]) {
        self.classNames = classNames
        self.classIDs = classIDs
        self.probabilities = probabilities
    }

    /// Whether the rows are classes.
    package var isClassification: Bool { !classNames.isEmpty }

    /// Number of rows.
    package var count: Int { isClassification ? classIDs.count : values.count }

    /// Reads `outputs` (`[N, C]` scores or `[N, 1]` values) according to the target's encoding.
    ///
    /// - Parameter fromLogits: whether the model outputs logits (softmax or sigmoid is applied here).
    package init(outputs: Tensor, target: TargetEncoding, fromLogits: Bool) {
        let n = outputs.shape.first ?? 0
        let matrix = Self.answerMatrix(outputs, target: target, fromLogits: fromLogits)
        let width = n == 0 ? 0 : matrix.count / n
        let flat = matrix.scalars
        let rows = (0..<n).map { Array(flat[($0 * width)..<(($0 + 1) * width)]) }
        switch Self.kind(outputs, target: target) {
        case .multiclass:
            probabilities = rows
            classIDs = probabilities.map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
            classNames = Self.names(target.classes, count: width)
        case .binary:
            probabilities = rows
            classIDs = rows.map { $0[1] >= 0.5 ? 1 : 0 }
            classNames = Self.names(target.classes, count: 2)
        case .values:
            values = rows
        }
    }

    /// How a model's outputs read: class scores, one binary probability, or values.
    enum Kind { case multiclass, binary, values }

    static func kind(_ outputs: Tensor, target: TargetEncoding) -> Kind {
        let n = outputs.shape.first ?? 0
        let width = n == 0 ? 0 : outputs.count / n
        if (target.form == .classIDs || target.form == .oneHot) && outputs.rank == 2 && width >= 2 { return .multiclass }
        if target.form == .binary && width == 1 { return .binary }
        return .values
    }

    /// The outputs in the answer's units as one matrix `[N, width]`: class probabilities (softmax or sigmoid applied to
    /// logits; a binary model's single probability p becomes the two columns 1 − p and p), or values in the target's
    /// units. Explanations attribute these numbers.
    package static func answerMatrix(_ outputs: Tensor, target: TargetEncoding, fromLogits: Bool) -> Tensor {
        let n = outputs.shape.first ?? 0
        switch kind(outputs, target: target) {
        case .multiclass:
            return fromLogits ? outputs.softmax() : outputs
        case .binary:
            let p = (fromLogits ? outputs.sigmoid() : outputs).scalars
            return Tensor(shape: [n, 2], scalars: p.flatMap { [1 - $0, $0] })
        case .values:
            let values = target.unscaled(outputs)
            return values.reshaped([n, n == 0 ? 0 : values.count / n])
        }
    }

    private static func names(_ classes: [String]?, count: Int) -> [String] {
        if let classes, classes.count == count { return classes }
        return (0..<count).map(String.init)
    }

    /// The header of the CSV form.
    package var header: [String] {
        if isClassification { return ["prediction"] + classNames.map { "probability_" + $0 } }
        let width = values.first?.count ?? 1
        return width == 1 ? ["prediction"] : (0..<width).map { "prediction_\($0)" }
    }

    /// The predictions as CSV text with a header row.
    package func csv(delimiter: Character = ",") -> String {
        var lines = [header.map { Self.field($0, delimiter) }.joined(separator: String(delimiter))]
        for i in 0..<count {
            let fields = isClassification
                ? [classNames[classIDs[i]]] + probabilities[i].map(Self.number)
                : values[i].map(Self.number)
            lines.append(fields.map { Self.field($0, delimiter) }.joined(separator: String(delimiter)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The predictions as JSON: `{"classes": […], "predictions": [{"label", "class_id", "probabilities"}]}`
    /// for a classifier, `{"predictions": [values]}` for a regressor.
    package var json: JSONValue {
        if isClassification {
            return .object([
                "classes": .strings(classNames),
                "predictions": .array((0..<count).map { i in
                    .object(["label": .string(classNames[classIDs[i]]), "class_id": .number(Double(classIDs[i])),
                             "probabilities": .array(probabilities[i].map(Self.jsonNumber))])
                }),
            ])
        }
        return .object(["predictions": .array(values.map { row in
            row.count == 1 ? Self.jsonNumber(row[0]) : .array(row.map(Self.jsonNumber))
        })])
    }

    /// Shortest text that reads back as the same float.
    package static func number(_ value: Float) -> String { String(describing: value) }

    /// The float as a JSON number (`null` when not finite).
    package static func jsonNumber(_ value: Float) -> JSONValue { .finite(value) }

    /// A CSV field, quoted when it holds the delimiter, a quote or a line break.
    package static func field(_ text: String, _ delimiter: Character) -> String {
        guard text.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
