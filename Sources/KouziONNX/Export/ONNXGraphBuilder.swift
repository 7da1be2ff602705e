import Foundation
import KouziTensor

/// Collects the nodes and initializers of an ONNX graph while a model is translated, giving every value a
/// unique name. A front end (``ONNXFrontEnd``) writes its steps through it too.
public final class ONNXGraphBuilder {
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private var used: Set<String> = []

    /// Reserves `names` (the graph's inputs) so no value takes them.
    public func reserve(_ names: [String]) { used.formUnion(names) }

    /// A name starting with `base` that no value has yet.
    public func fresh(_ base: String) -> String {
        let cleaned = base.isEmpty ? "value" : base
        var name = cleaned
        var k = 1
        while used.contains(name) {
            name = "\(cleaned)_\(k)"
            k += 1
        }
        used.insert(name)
        return name
    }

    /// Stores `tensor` as an initializer and returns its name.
    public func constant(_ tensor: Tensor, _ base: String) -> String {
        let name = fresh(base)
        initializers.append(Onnx_TensorProto(tensor, name: name))
        return name
    }

    /// Stores an int64 list (shapes, axes, pads) as an initializer and returns its name.
    public func ints(_ values: [Int], _ base: String) -> String {
        let name = fresh(base)
        initializers.append(Onnx_TensorProto(int64: values.map(Int64.init), name: name))
        return name
    }

    /// Stores a string tensor (categories) as an initializer and returns its name.
    public func strings(_ values: [String], shape: [Int]? = nil, _ base: String) -> String {
        let name = fresh(base)
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = (shape ?? [values.count]).map(Int64.init)
        tensor.dataType = ONNXElementType.string.rawValue
        tensor.stringData = values.map { Data($0.utf8) }
        initializers.append(tensor)
        return name
    }

    /// Adds a node computing `op` from `inputs` (an empty name skips an optional input) and returns its outputs.
    @discardableResult
    public func node(_ op: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = [], outputs: Int = 1,
              name base: String) -> [String] {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = fresh(base + "/" + op)
        node.input = inputs
        node.output = (0..<outputs).map { _ in fresh(base + "/" + op.lowercased()) }
        node.attribute = attributes
        nodes.append(node)
        return node.output
    }

    /// Adds a node with one output and returns its name.
    public func op(_ op: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = [], name base: String) -> String {
        node(op, inputs, attributes, name: base)[0]
    }

    /// Renames the output of the node that wrote `value` (graph outputs take the model's output names).
    func rename(_ value: String, to name: String) -> Bool {
        guard let i = nodes.lastIndex(where: { $0.output.contains(value) }), !used.contains(name) || name == value else {
            return false
        }
        nodes[i].output = nodes[i].output.map { $0 == value ? name : $0 }
        for j in nodes.indices where j > i { nodes[j].input = nodes[j].input.map { $0 == value ? name : $0 } }
        used.insert(name)
        return true
    }
}

/// Constructors of node attributes.
public enum ONNXAttribute {
    public static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(value)
        return a
    }

    public static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .float
        a.f = value
        return a
    }

    public static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = values.map(Int64.init)
        return a
    }

    public static func floats(_ name: String, _ values: [Float]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .floats
        a.floats = values
        return a
    }

    public static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .string
        a.s = Data(value.utf8)
        return a
    }

    public static func strings(_ name: String, _ values: [String]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .strings
        a.strings = values.map { Data($0.utf8) }
        return a
    }
}
