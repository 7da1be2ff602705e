import Foundation
import KouziBase
import KouziInference
import KouziNN

/// TensorFlow Serving's REST predict API (`POST /v1/models/{name}:predict`) on top of the same inference path:
/// `{"instances": [...]}` (rows: objects naming the inputs, or values of the single input) or `{"inputs": ...}`
/// (columns: an object of input name → values, or the single input's values); the answer is
/// `{"predictions": [...]}`, one entry per row (for classifiers an object with `label`, `class_id` and
/// `probabilities`).
extension DeploymentService {
    public func predict(_ principal: Principal, name: String, body: JSONValue) async throws -> JSONValue {
        let deployment = try await resolve(principal, name: name)
        let served = try await model(for: deployment)
        let tensors = try Self.tensors(body, inputs: served.inputs.map(\.name))
        let response = try await infer(principal, name: name, version: nil,
                                       InferRequest(id: nil, parameters: nil, inputs: tensors, outputs: nil)).response
        func output(_ name: String) -> InferTensor? { response.outputs.first { $0.name == name } }
        if let labels = output("label")?.data.arrayValue, let ids = output("class_id")?.data.arrayValue,
           let probabilities = output("probabilities") {
            let width = probabilities.shape.last ?? 1, flat = probabilities.data.arrayValue ?? []
            return .object(["predictions": .array(labels.indices.map { i in
                .object(["label": labels[i], "class_id": ids[i], "probabilities": .array(Array(flat[(i * width)..<((i + 1) * width)]))])
            })])
        }
        guard let values = output("predictions") else { return .object(["predictions": .array([])]) }
        let width = values.shape.last ?? 1, flat = values.data.arrayValue ?? []
        let rows = width == 0 ? 0 : flat.count / width
        return .object(["predictions": .array((0..<rows).map { i in
            width == 1 ? flat[i] : .array(Array(flat[(i * width)..<((i + 1) * width)]))
        })])
    }

    /// Protocol tensors from a TensorFlow Serving body, for a model reading `inputs` (by name).
    static func tensors(_ body: JSONValue, inputs: [String]) throws -> [InferTensor] {
        guard let object = body.objectValue else {
            throw InferenceCodec.invalid("the body must be a JSON object with \"instances\" or \"inputs\"")
        }
        if let instances = object["instances"] {
            guard let rows = instances.arrayValue, !rows.isEmpty else { throw InferenceCodec.invalid("\"instances\" must be a non-empty list") }
            if rows[0].objectValue != nil {
                return try inputs.map { name in
                    try tensor(name, rows.map { row in
                        guard let value = row.objectValue?[name] else {
                            throw InferenceCodec.invalid("an instance lacks '\(name)' (the model reads \(inputs.joined(separator: ", ")))")
                        }
                        return value
                    })
                }
            }
            guard inputs.count == 1 else {
                throw InferenceCodec.invalid("the model reads \(inputs.joined(separator: ", ")): send instances as objects naming them")
            }
            return [try tensor(inputs[0], rows)]
        }
        if let columns = object["inputs"] {
            if let named = columns.objectValue {
                return try named.keys.sorted().map { name in
                    guard let values = named[name]?.arrayValue else { throw InferenceCodec.invalid("inputs.\(name) must be a list") }
                    return try tensor(name, values)
                }
            }
            guard let values = columns.arrayValue, inputs.count == 1 else {
                throw InferenceCodec.invalid("\"inputs\" must be an object of input name → values, or the single input's values")
            }
            return [try tensor(inputs[0], values)]
        }
        throw InferenceCodec.invalid("the body has neither \"instances\" nor \"inputs\"")
    }

    /// A tensor of rows whose shape follows the nesting of the first row and whose datatype follows its first leaf.
    static func tensor(_ name: String, _ rows: [JSONValue]) throws -> InferTensor {
        var shape = [rows.count]
        var probe = rows.first
        while let items = probe?.arrayValue {
            shape.append(items.count)
            probe = items.first
        }
        let datatype: String
        switch probe {
        case .string?: datatype = "BYTES"
        case .bool?: datatype = "BOOL"
        default: datatype = "FP64"
        }
        return InferTensor(name: name, shape: shape, datatype: datatype, data: .array(rows))
    }
}
