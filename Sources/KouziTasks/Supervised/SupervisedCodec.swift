import Foundation
import KouziData
import KouziInference
import KouziMonitoring
import KouziNN
import KouziTensor

/// How the supervised tasks' models are served: a table model reads one input per column (or one numeric tensor), a
/// text model one BYTES input of sentences, an image model one tensor of pixels; a classifier answers probabilities,
/// labels and class ids, a regressor predictions in the target's units. The model's saved preprocessing does the
/// conversion, so a deployment reads exactly what training read; its reference profile lets monitoring compare live
/// inputs with the training data.
struct SupervisedCodec: MonitoredCodec {
    /// The codec's name in model metadata.
    static let name = "supervised"

    /// The saved preprocessing (or a pass-through one for a model saved from code).
    let preprocessing: Preprocessing
    /// The model's input shape, without the batch.
    let inputShape: [Int]?
    /// The width of the model's output, when it is `[batch, width]`.
    let outputWidth: Int?
    /// Whether the model's loss works on logits.
    let fromLogits: Bool

    /// The codec of `model` with its preprocessing.
    init(model: Model, preprocessing: Preprocessing) {
        self.preprocessing = preprocessing
        inputShape = model.inputShape
        let signature = (try? model.outputSignature) ?? []
        outputWidth = signature.count == 1 && signature[0].shape.count == 2 ? signature[0].shape[1] : nil
        fromLogits = (model.loss?.options["from_logits"] ?? 0) != 0
    }

    /// Serves models saved with the supervised tasks' preprocessing, and any other model with one input and one output
    /// (a pass-through conversion: its input as it is, a classifier's labels when it has some).
    static let factory = CodecFactory(name: name) { model, path in
        if let saved = try Preprocessing.saved(in: model, path: path) { return SupervisedCodec(model: model, preprocessing: saved) }
        guard model.inputSignature.count == 1, (try? model.outputSignature.count) == 1 else { return nil }
        return SupervisedCodec(model: model, preprocessing: .passthrough(for: model))
    }

    var isClassifier: Bool { preprocessing.target.form.isClassification }
    var classLabels: [String]? { preprocessing.target.classes }
    var reference: ReferenceProfile? { preprocessing.reference }

    /// The inputs the model takes, as protocol metadata.
    var inputs: [InferTensorMetadata] {
        if let text = preprocessing.text { return [InferTensorMetadata(name: text.column, datatype: "BYTES", shape: [-1])] }
        if let table = preprocessing.table {
            return table.columns.map { column in
                InferTensorMetadata(name: column, datatype: table.categorical.contains(column) ? "BYTES" : "FP32", shape: [-1])
            }
        }
        return [InferTensorMetadata(name: "input", datatype: "FP32", shape: [-1] + (inputShape ?? []))]
    }

    /// The outputs it gives.
    var outputs: [InferTensorMetadata] {
        let width = outputWidth ?? 1
        var list = [InferTensorMetadata(name: isClassifier ? "probabilities" : "predictions", datatype: "FP32", shape: [-1, width])]
        if isClassifier {
            list += [InferTensorMetadata(name: "label", datatype: "BYTES", shape: [-1]),
                     InferTensorMetadata(name: "class_id", datatype: "INT64", shape: [-1])]
        }
        return list
    }

    /// Protocol outputs of a forward pass: all of them, or those asked for.
    func answer(_ outputs: [Tensor], rows: Int, wanted: [RequestedOutput]?) throws -> [InferTensor] {
        let predictions = Predictions(outputs: outputs[0], target: preprocessing.target, fromLogits: fromLogits)
        var all: [InferTensor] = []
        if predictions.isClassification {
            all.append(InferenceCodec.floats("probabilities", predictions.probabilities.flatMap { $0 },
                                             shape: [rows, predictions.classNames.count]))
            all.append(InferTensor(name: "label", shape: [rows], datatype: "BYTES",
                                   data: .array(predictions.classIDs.map { .string(predictions.classNames[$0]) })))
            all.append(InferTensor(name: "class_id", shape: [rows], datatype: "INT64",
                                   data: .array(predictions.classIDs.map { .number(Double($0)) })))
        } else {
            let width = predictions.values.first?.count ?? 1
            all.append(InferenceCodec.floats("predictions", predictions.values.flatMap { $0 }, shape: [rows, width]))
        }
        return try InferenceCodec.select(all, wanted: wanted)
    }

    /// The model's input from protocol tensors: one tensor in the model's layout, one text column, or one tensor
    /// per table column (a single numeric [N, columns] tensor also works when every column is numeric).
    func modelInputs(_ tensors: [InferTensor]) throws -> [Tensor] { [try modelInput(tensors)] }

    /// The model's single input tensor for a request.
    func modelInput(_ tensors: [InferTensor]) throws -> Tensor {
        guard !tensors.isEmpty else { throw InferenceCodec.invalid("the request has no inputs") }
        let decoded = try tensors.map { ($0.name, try InferenceCodec.decode($0)) }
        if let text = preprocessing.text {
            guard decoded.count == 1, case let .strings(values, shape) = decoded[0].1, shape.reduce(1, *) == shape[0] else {
                throw InferenceCodec.invalid("the model reads one BYTES input of sentences, shape [N] (column '\(text.column)')")
            }
            let table = try DataTable([(text.column, .categorical(values))])
            return try preprocessing.features(of: table, source: "the request", inputShape: inputShape)
        }
        if let transform = preprocessing.table {
            return try preprocessing.features(of: try table(decoded, columns: transform.columns, categorical: transform.categorical),
                                              source: "the request", inputShape: inputShape)
        }
        guard decoded.count == 1, case let .numbers(values, shape, datatype) = decoded[0].1 else {
            throw InferenceCodec.invalid("the model takes one numeric input of shape \([-1] + (inputShape ?? []))")
        }
        // Integer pixels are scaled as the training images were.
        let scale: Float = datatype == "UINT8" && preprocessing.images?.normalized == true ? 1 / 255 : 1
        let x = Tensor(shape: shape, scalars: values.map { Float($0) * scale })
        guard x.rank >= 1, let inputShape = inputShape else { return x }
        let have = shape.dropFirst().reduce(1, *), need = inputShape.reduce(1, *)
        guard have == need else {
            throw InferenceCodec.invalid("input '\(decoded[0].0)': each row has \(have) values but the model takes \(need) "
                + "(shape \([-1] + inputShape))")
        }
        return x.reshaped([shape[0]] + inputShape)
    }

    /// A table from one tensor per column, or from one numeric [N, columns] tensor.
    private func table(_ decoded: [(String, DecodedTensor)], columns: [String], categorical: [String]) throws -> DataTable {
        if decoded.count == 1, case let .numbers(values, shape, _) = decoded[0].1, shape.count == 2, !columns.contains(decoded[0].0) {
            guard shape[1] == columns.count, categorical.isEmpty else {
                throw InferenceCodec.invalid("input '\(decoded[0].0)': a single tensor must have one numeric column per feature "
                    + "(\(columns.joined(separator: ", "))); send one input per column instead")
            }
            return try DataTable(columns.enumerated().map { j, name in
                (name, .numeric((0..<shape[0]).map { values[$0 * shape[1] + j] }))
            })
        }
        let given = Dictionary(decoded, uniquingKeysWith: { a, _ in a })
        if let missing = columns.first(where: { given[$0] == nil }) {
            throw InferenceCodec.invalid("missing input '\(missing)' (the model reads the columns \(columns.joined(separator: ", ")))")
        }
        if let extra = decoded.map(\.0).first(where: { !columns.contains($0) }) {
            throw InferenceCodec.invalid("unknown input '\(extra)' (the model reads the columns \(columns.joined(separator: ", ")))")
        }
        let rows = given[columns[0]]!.shape[0]
        return try DataTable(columns.map { name in
            let tensor = given[name]!
            guard tensor.shape.reduce(1, *) == rows, tensor.shape[0] == rows else {
                throw InferenceCodec.invalid("input '\(name)': shape \(tensor.shape) does not hold one value for each of \(rows) rows")
            }
            switch tensor {
            case let .numbers(values, _, _): return (name, .numeric(values.map { Optional($0) }))
            case let .strings(values, _):
                guard categorical.contains(name) else {
                    throw InferenceCodec.invalid("input '\(name)': the column is numeric; send FP32 or FP64 values")
                }
                return (name, .categorical(values.map { Optional($0) }))
            }
        })
    }
}
