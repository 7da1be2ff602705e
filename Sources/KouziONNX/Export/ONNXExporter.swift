import Foundation
import KouziBase
import KouziNN
import KouziTensor
import SwiftProtobuf

/// Writes Kouzi models as ONNX files that ONNX Runtime (and any runtime of the standard operator set) runs.
///
/// ```swift
/// try ONNXExporter.write(model, to: "model.onnx")
/// ```
///
/// Every layer maps to standard operators of ``opset``. Kouzi keeps images channels-last, ONNX convolutions are
/// channels-first: a convolution or pooling window is wrapped in two transposes, which runtimes fold away. The batch
/// axis (and any axis a model leaves open, such as the steps of a sequence) is a named dynamic dimension.
public enum ONNXExporter {
    /// The operator set written (ONNX 1.16 and later, ONNX Runtime 1.18 and later).
    public static let opset = 21
    /// The IR version written (the one that goes with ``opset``).
    public static let irVersion: Int64 = 10

    /// The ONNX model of `model`.
    ///
    /// - Throws: ``ONNXError/unsupportedLayer(_:)`` naming a layer (or setting) without an ONNX form, or an
    ///   ``NNError`` when the model is not built.
    /// - Parameter frontEnd: steps written before a one-input network (its preprocessing); the file then takes the
    ///   front end's inputs.
    public static func model(_ model: Model, name: String = "kouzi", frontEnd: ONNXFrontEnd? = nil) throws -> Onnx_ModelProto {
        let translator = ModelTranslator()
        let graph = try withoutGrad { try translator.translate(model, name: name, frontEnd: frontEnd) }
        var proto = Onnx_ModelProto()
        proto.irVersion = irVersion
        proto.producerName = "kouzi"
        proto.producerVersion = "1"
        proto.graph = graph
        var defaultDomain = Onnx_OperatorSetIdProto()
        defaultDomain.domain = ""
        defaultDomain.version = Int64(opset)
        proto.opsetImport = [defaultDomain]
        var entries: [Onnx_StringStringEntryProto] = []
        if let labels = model.classLabels {
            var entry = Onnx_StringStringEntryProto()
            entry.key = "class_labels"
            entry.value = String(decoding: try JSONEncoder().encode(labels), as: UTF8.self)
            entries.append(entry)
        }
        for (key, value) in model.metadata.sorted(by: { $0.key < $1.key }) {
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            entries.append(entry)
        }
        proto.metadataProps = entries
        return proto
    }

    /// The serialized ONNX file of `model`.
    public static func data(_ model: Model, name: String = "kouzi", frontEnd: ONNXFrontEnd? = nil) throws -> Data {
        try Self.model(model, name: name, frontEnd: frontEnd).serializedData()
    }

    /// Writes `model` to `path` (atomically: a reader never sees half a file).
    public static func write(_ model: Model, to path: String, name: String = "kouzi", frontEnd: ONNXFrontEnd? = nil) throws {
        try data(model, name: name, frontEnd: frontEnd).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// A value of the graph being written: its name, its shape in Kouzi's layout (batch first, -1 where open), its
/// element type, and the mask (`[batch, steps]` float, 1 for real steps) that travels with a padded sequence.
struct ExportedValue {
    var name: String
    var shape: [Int]
    var dtype: DType
    var mask: String?
}

/// Translates one model into an ONNX graph.
final class ModelTranslator {
    let builder = ONNXGraphBuilder()

    func translate(_ model: Model, name: String, frontEnd: ONNXFrontEnd?) throws -> Onnx_GraphProto {
        var inputs: [(name: String, shape: [Int], dtype: DType)]
        if let view = model.graphView {
            inputs = view.inputs.map { ($0.name, $0.shape, $0.dtype) }
        } else {
            guard let shape = model.inputShape else {
                throw ONNXError.unsupportedLayer("\(model.name) has no input shape yet: build it (or give inputShape) before exporting")
            }
            let idsFirst = (model as? Sequential)?.layers.first is Embedding
            inputs = [("input", [-1] + shape, idsFirst ? .int64 : .float32)]
        }
        var values = inputs.map { ExportedValue(name: $0.name, shape: $0.shape, dtype: $0.dtype, mask: nil) }
        var declared = inputs.map { valueInfo($0.name, shape: $0.shape, type: ONNXElementType($0.dtype)) }
        if let frontEnd {
            guard values.count == 1 else {
                throw ONNXError.unsupportedLayer("a front end feeds a network with one input, this one has \(values.count)")
            }
            builder.reserve(frontEnd.inputs.map(\.name))
            values[0].name = try frontEnd.write(builder)
            declared = frontEnd.inputs.map { valueInfo($0.name, shape: $0.shape, type: $0.type) }
            inputs = []
        } else {
            builder.reserve(inputs.map(\.name))
        }
        let outputs = try apply(model, to: values, name: "")
        let outputNames = model.graphView?.outputs.map(\.name) ?? ["output"]
        var graph = Onnx_GraphProto()
        graph.name = name
        graph.input = declared
        var finals: [Onnx_ValueInfoProto] = []
        var renamed: [String: String] = [:]
        let inputNames = Set(declared.map(\.name))
        for (value, outputName) in zip(outputs, outputNames) {
            let current = renamed[value.name] ?? value.name
            if current != outputName {
                if renamed[value.name] == nil, !inputNames.contains(value.name), builder.rename(value.name, to: outputName) {
                    renamed[value.name] = outputName
                } else {
                    _ = builder.rename(builder.op("Identity", [current], name: outputName), to: outputName)
                }
            }
            finals.append(valueInfo(outputName, shape: value.shape, type: ONNXElementType(value.dtype)))
        }
        graph.output = finals
        graph.node = builder.nodes
        graph.initializer = builder.initializers
        return graph
    }

    /// Emits a whole model (a ``Sequential``, a functional graph) applied to `inputs`.
    func apply(_ model: Model, to inputs: [ExportedValue], name: String) throws -> [ExportedValue] {
        if let sequential = model as? Sequential {
            guard inputs.count == 1 else { throw ONNXError.unsupportedLayer("a Sequential model takes one input, given \(inputs.count)") }
            var x = inputs[0]
            for (i, layer) in sequential.layers.enumerated() {
                x = try emit(layer, [x], name: scoped(name, "\(Self.snake(layer.name))_\(i)"))[0]
            }
            return [x]
        }
        guard let view = model.graphView else {
            throw ONNXError.unsupportedLayer("\(model.name) is a subclassed model; only Sequential and functional models have an ONNX form")
        }
        var table: [String: ExportedValue] = [:]
        for (slot, value) in zip(view.inputs, inputs) { table[slot.name] = value }
        for call in view.calls {
            let args = try call.inputs.map { ref -> ExportedValue in
                guard let v = table[ref] else { throw ONNXError.invalidGraph("\(call.name) reads \(ref), which nothing wrote") }
                return v
            }
            let results = try emit(call.layer, args, name: scoped(name, call.name), shapes: call.outputs.map(\.shape))
            for (outputName, value) in zip(call.outputNames, results) { table[outputName] = value }
        }
        return try view.outputs.map { output in
            guard let v = table[output.tensor] else { throw ONNXError.invalidGraph("output \(output.name) reads nothing") }
            return v
        }
    }

    /// Emits one layer call; `shapes`, when known, are the call's output shapes.
    func emit(_ layer: any Layer, _ inputs: [ExportedValue], name: String, shapes: [[Int]]? = nil) throws -> [ExportedValue] {
        if let model = layer as? Model { return try apply(model, to: inputs, name: name) }
        if let merge = layer as? any MergingLayer {
            return [try emitMerge(merge, inputs, name: name, shape: shapes?.first)]
        }
        let input = inputs[0]
        let shape = try shapes?.first ?? layer.outputShape(for: input.shape)
        var out = try emitSingle(layer, input, name: name)
        out.shape = shape
        return [out]
    }

    /// Emits a layer of one input, by family.
    private func emitSingle(_ layer: any Layer, _ x: ExportedValue, name: String) throws -> ExportedValue {
        if let v = try emitCore(layer, x, name: name) { return v }
        if let v = try emitConvolution(layer, x, name: name) { return v }
        if let v = try emitNormalization(layer, x, name: name) { return v }
        if let v = try emitRecurrent(layer, x, name: name) { return v }
        if let v = try emitAttention(layer, x, name: name) { return v }
        throw ONNXError.unsupportedLayer("\(layer.name) (\(type(of: layer))) has no ONNX form")
    }

    /// `x` with its name replaced (same shape and mask).
    func value(_ name: String, like x: ExportedValue, dtype: DType? = nil) -> ExportedValue {
        ExportedValue(name: name, shape: x.shape, dtype: dtype ?? x.dtype, mask: x.mask)
    }

    /// The activation applied to `x` (nothing for `linear`).
    func activate(_ x: String, _ activation: Activation, name: String) -> String {
        switch activation {
        case .linear: return x
        case .relu: return builder.op("Relu", [x], name: name)
        case .sigmoid: return builder.op("Sigmoid", [x], name: name)
        case .tanh: return builder.op("Tanh", [x], name: name)
        case .leakyRelu: return builder.op("LeakyRelu", [x], [ONNXAttribute.float("alpha", 0.01)], name: name)
        case .gelu: return builder.op("Gelu", [x], name: name)
        case .softmax: return builder.op("Softmax", [x], [ONNXAttribute.int("axis", -1)], name: name)
        case .logSoftmax: return builder.op("LogSoftmax", [x], [ONNXAttribute.int("axis", -1)], name: name)
        case .softplus: return builder.op("Softplus", [x], name: name)
        }
    }

    /// Moves channels-last `x` of `rank` to channels-first, or back.
    func channelsFirst(_ x: String, rank: Int, name: String) -> String {
        builder.op("Transpose", [x], [ONNXAttribute.ints("perm", [0, rank - 1] + Array(1..<(rank - 1)))], name: name)
    }

    func channelsLast(_ x: String, rank: Int, name: String) -> String {
        builder.op("Transpose", [x], [ONNXAttribute.ints("perm", [0] + Array(2..<rank) + [1])], name: name)
    }

    private func scoped(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : prefix + "/" + name }

    static func snake(_ name: String) -> String {
        var out = ""
        for (i, c) in name.enumerated() {
            if c.isUppercase && i > 0 { out += "_" }
            out += c.lowercased()
        }
        return out.filter { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// The graph's description of a value: element type and shape, open axes named (`batch`, `steps`, …).
    private func valueInfo(_ name: String, shape: [Int], type elementType: ONNXElementType) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = elementType.rawValue
        var shapeProto = Onnx_TensorShapeProto()
        shapeProto.dim = shape.enumerated().map { axis, size in
            var dim = Onnx_TensorShapeProto.Dimension()
            if size >= 0 { dim.dimValue = Int64(size) } else { dim.dimParam = axis == 0 ? "batch" : axis == 1 ? "steps" : "axis_\(axis)" }
            return dim
        }
        tensorType.shape = shapeProto
        var type = Onnx_TypeProto()
        type.tensorType = tensorType
        info.type = type
        return info
    }
}
