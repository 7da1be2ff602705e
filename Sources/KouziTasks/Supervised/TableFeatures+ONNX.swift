import Foundation
import KouziData
import KouziONNX
import KouziTensor

extension TableFeatures {
    /// The table preprocessing as ONNX steps, so an exported file takes one input per column as the platform's
    /// endpoint does: numbers as float `[batch]` (NaN for a missing value), categories as string `[batch]` (empty for
    /// a missing one). Missing values take the fill learned in training, categories become their indicator columns
    /// (a category unseen in training gives all zeros, as `handleUnknown: .ignore` does), and the features are
    /// standardised with the training statistics.
    var onnxFrontEnd: ONNXFrontEnd {
        let inputs = columns.map { ONNXFrontEnd.Input(name: $0, type: categorical.contains($0) ? .string : .float, shape: [-1]) }
        return ONNXFrontEnd(inputs: inputs) { builder in
            let axis = builder.ints([1], "features/axis")
            var parts: [String] = []
            for column in columns {
                let x = builder.op("Unsqueeze", [column, axis], name: "features/\(column)")
                if categorical.contains(column) {
                    var filled = x
                    if case .text(let fill)? = categoricalImputer?.columnFills[column] {
                        let missing = builder.op("Equal", [x, builder.strings([""], shape: [], "features/\(column)/missing")],
                                                 name: "features/\(column)")
                        filled = builder.op("Where", [missing, builder.strings([fill], shape: [], "features/\(column)/fill"), x],
                                            name: "features/\(column)")
                    }
                    guard let encoder, let k = encoder.columns.firstIndex(of: column) else {
                        throw ONNXError.unsupportedLayer("column '\(column)' is text but has no categories")
                    }
                    let categories = builder.strings(encoder.categories[k], shape: [1, encoder.categories[k].count],
                                                     "features/\(column)/categories")
                    let indicators = builder.op("Equal", [filled, categories], name: "features/\(column)")
                    parts.append(builder.op("Cast", [indicators], [ONNXAttribute.int("to", Int(ONNXElementType.float.rawValue))],
                                            name: "features/\(column)"))
                } else {
                    var filled = x
                    if case .number(let fill)? = numericImputer?.columnFills[column] {
                        let missing = builder.op("IsNaN", [x], name: "features/\(column)")
                        filled = builder.op("Where", [missing, builder.constant(Tensor(shape: [], scalars: [Float(fill)]),
                                                                                "features/\(column)/fill"), x],
                                            name: "features/\(column)")
                    }
                    parts.append(filled)
                }
            }
            let joined = parts.count == 1 ? parts[0] : builder.op("Concat", parts, [ONNXAttribute.int("axis", 1)], name: "features")
            let factor = scaler.scale.map { scaler.withStd ? 1 / $0 : 1 }
            let shift = zip(scaler.mean, factor).map { scaler.withMean ? -$0 * $1 : 0 }
            let scaled = builder.op("Mul", [joined, builder.constant(Tensor(factor.map(Float.init)), "features/scale")], name: "features")
            return builder.op("Add", [scaled, builder.constant(Tensor(shift.map(Float.init)), "features/shift")], name: "features")
        }
    }
}

extension SupervisedModel {
    /// The model as an ONNX file: with its table preprocessing in front when it has one (the file then takes the
    /// columns), else the network alone (images and texts are converted to the network's input outside the file).
    package func onnxData(name: String) throws -> Data {
        try ONNXExporter.data(model, name: name, frontEnd: hasSavedPreprocessing ? preprocessing.table?.onnxFrontEnd : nil)
    }
}
