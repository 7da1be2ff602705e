import Foundation
import KouziNN
import KouziTensor
import SwiftProtobuf

/// Reads ONNX models into Kouzi functional models whose weights are ordinary parameters: they run, fine-tune, save
/// as `.kouzi` files and serve like models written in Kouzi.
///
/// ```swift
/// let model = try ONNXImporter.model(contentsOf: "resnet.onnx")
/// ```
///
/// The importer reads the operators listed in ``supportedOperators``; a graph using any other is refused with
/// every such operator named, before anything is built.
public enum ONNXImporter {
    /// The newest version of the default operator set the importer reads.
    public static let maxOpset = 23

    /// The operators (default domain) the importer turns into layers.
    public static let supportedOperators: Set<String> = Set(OperatorTranslator.handlers.keys)

    /// Reads the ONNX file at `path`.
    public static func model(contentsOf path: String) throws -> Model {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ONNXError.malformed("cannot read \(path): \(error.localizedDescription)")
        }
        return try model(from: data)
    }

    /// Reads an ONNX model from its bytes.
    ///
    /// - Throws: ``ONNXError`` — ``ONNXError/malformed(_:)`` for bytes that are not an ONNX model,
    ///   ``ONNXError/opsetTooNew(domain:version:supported:)``, ``ONNXError/unsupportedOperators(_:)``,
    ///   ``ONNXError/invalidGraph(_:)`` (a cycle, a value nothing defines), ``ONNXError/externalData(_:)``.
    public static func model(from data: Data) throws -> Model {
        try withoutGrad { try translate(try parse(data)) }
    }

    /// Parses and checks the envelope: a model with a graph, opsets Kouzi reads.
    static func parse(_ data: Data) throws -> Onnx_ModelProto {
        let proto: Onnx_ModelProto
        do { proto = try Onnx_ModelProto(serializedBytes: data) } catch {
            throw ONNXError.malformed("the bytes are not an ONNX protobuf message (\(error))")
        }
        guard proto.irVersion > 0, proto.hasGraph, !proto.graph.node.isEmpty else {
            throw ONNXError.malformed("no IR version or no graph with nodes (is it an ONNX file?)")
        }
        for opset in proto.opsetImport where opset.domain.isEmpty || opset.domain == "ai.onnx" {
            guard opset.version <= maxOpset else {
                throw ONNXError.opsetTooNew(domain: opset.domain, version: Int(opset.version), supported: maxOpset)
            }
        }
        return proto
    }

    static func translate(_ proto: Onnx_ModelProto) throws -> Model {
        let graph = proto.graph
        let opset = Int(proto.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?.version ?? Int64(maxOpset))
        let unsupported = Dictionary(grouping: graph.node.filter { !($0.domain.isEmpty || $0.domain == "ai.onnx") || OperatorTranslator.handlers[$0.opType] == nil },
                                     by: { $0.domain.isEmpty ? $0.opType : "\($0.domain).\($0.opType)" })
        if !unsupported.isEmpty {
            throw ONNXError.unsupportedOperators(unsupported.keys.sorted().map { op in
                let nodes = unsupported[op]!.map { $0.name.isEmpty ? $0.output.first ?? "?" : $0.name }
                return "\(op) (node\(nodes.count == 1 ? "" : "s") \(nodes.prefix(5).joined(separator: ", "))\(nodes.count > 5 ? ", …" : ""))"
            })
        }
        var constants: [String: Tensor] = [:]
        for initializer in graph.initializer { constants[initializer.name] = try initializer.kouziTensor() }
        let translator = OperatorTranslator(opset: opset)
        var inputs: [SymbolicTensor] = []
        for input in graph.input where constants[input.name] == nil {
            let input = try modelInput(input)
            inputs.append(input.tensor)
            translator.values[input.name] = .tensor(.init(Array(0..<input.tensor.shape.count), input.tensor))
        }
        guard !inputs.isEmpty else { throw ONNXError.invalidGraph("the graph has no inputs besides its weights") }
        for (name, tensor) in constants { translator.values[name] = .constant(tensor) }
        translator.uses = Dictionary(graph.node.flatMap(\.input).filter { !$0.isEmpty }.map { ($0, 1) }, uniquingKeysWith: +)
        for output in graph.output { translator.uses[output.name, default: 0] += 1 }
        for node in try ordered(graph.node, defined: Set(translator.values.keys)) { try translator.translate(node) }
        var outputs: [(String, SymbolicTensor)] = []
        for output in graph.output {
            guard case let .tensor(views)? = translator.values[output.name] else {
                throw ONNXError.invalidGraph("output '\(output.name)' is \(translator.values[output.name] == nil ? "never computed" : "a constant")")
            }
            outputs.append((output.name, try views.identity()))
        }
        let model = try Model(inputs: inputs, outputList: outputs, name: graph.name.isEmpty ? nil : graph.name)
        for entry in proto.metadataProps {
            if entry.key == "class_labels", let labels = try? JSONDecoder().decode([String].self, from: Data(entry.value.utf8)) {
                model.classLabels = labels
            } else {
                model.metadata[entry.key] = entry.value
            }
        }
        return model
    }

    /// A graph input as a Kouzi `Input`: the first axis is the batch, other open axes stay open.
    private static func modelInput(_ info: Onnx_ValueInfoProto) throws -> (name: String, tensor: SymbolicTensor) {
        guard case .tensorType(let type)? = info.type.value else {
            throw ONNXError.unsupportedOperators(["input '\(info.name)' is not a tensor"])
        }
        guard let elementType = ONNXElementType(rawValue: type.elemType), let dtype = elementType.kouziType,
              [.float, .int64, .int32].contains(elementType) else {
            throw ONNXError.unsupportedOperators(["input '\(info.name)' has element type \(type.elemType) (Kouzi reads float, int32 and int64 inputs)"])
        }
        let dims = type.shape.dim.map { dim -> Int in
            if case .dimValue(let v)? = dim.value, v > 0 { return Int(v) }
            return -1
        }
        guard dims.count >= 1 else { throw ONNXError.unsupportedOperators(["input '\(info.name)' is a scalar (Kouzi inputs have a batch axis)"]) }
        return (info.name, Input(shape: Array(dims.dropFirst()), dtype: dtype, name: info.name))
    }

    /// The nodes in an order where each follows the nodes it reads.
    ///
    /// - Throws: ``ONNXError/invalidGraph(_:)`` for a node reading a value nothing defines, or a cycle.
    static func ordered(_ nodes: [Onnx_NodeProto], defined: Set<String>) throws -> [Onnx_NodeProto] {
        var producer: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            for output in node.output where !output.isEmpty {
                guard producer[output] == nil, !defined.contains(output) else {
                    throw ONNXError.invalidGraph("value '\(output)' is written twice (node \(label(node)))")
                }
                producer[output] = i
            }
        }
        var waiting = [Int](repeating: 0, count: nodes.count)
        var readers: [Int: [Int]] = [:]
        for (i, node) in nodes.enumerated() {
            for input in node.input where !input.isEmpty {
                if let p = producer[input] {
                    waiting[i] += 1
                    readers[p, default: []].append(i)
                } else if !defined.contains(input) {
                    throw ONNXError.invalidGraph("node \(label(node)) reads '\(input)', which no input, weight or node defines")
                }
            }
        }
        var ready = nodes.indices.filter { waiting[$0] == 0 }.reversed() as [Int]
        var order: [Onnx_NodeProto] = []
        while let i = ready.popLast() {
            order.append(nodes[i])
            for reader in readers[i] ?? [] {
                waiting[reader] -= 1
                if waiting[reader] == 0 { ready.append(reader) }
            }
        }
        guard order.count == nodes.count else {
            let stuck = nodes.indices.filter { waiting[$0] > 0 }.map { label(nodes[$0]) }
            throw ONNXError.invalidGraph("the graph has a cycle through \(stuck.prefix(5).joined(separator: ", "))")
        }
        return order
    }

    static func label(_ node: Onnx_NodeProto) -> String {
        "'\(node.name.isEmpty ? node.output.first ?? "?" : node.name)' (\(node.opType))"
    }
}
