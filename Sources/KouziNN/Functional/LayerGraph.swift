import KouziTensor

/// The checked graph of a functional model: its named inputs and outputs, and the layer calls between them in an
/// order where every call comes after the calls it reads.
///
/// A layer called several times (a shared layer) appears once in ``layers`` and once per call in ``calls``; its
/// weights are the same object in every call. The graph keeps no state between runs, so a model may run it from
/// several threads at once.
final class LayerGraph: @unchecked Sendable {
    /// One model input: its placeholder, name, shape (batch first, -1) and dtype.
    struct InputSlot {
        let node: GraphNode
        let name: String
        let shape: [Int]
        let dtype: DType
    }

    /// The model's inputs, in the order the model takes them.
    let inputs: [InputSlot]
    /// The model's outputs with their names.
    let outputs: [(name: String, tensor: SymbolicTensor)]
    /// The calls in execution order (inputs excluded).
    let calls: [GraphNode]
    /// Every distinct layer with its name, in the order of its first call.
    let layers: [(name: String, layer: any Layer)]
    /// The name of each call and input node.
    let nodeNames: [ObjectIdentifier: String]
    /// Where each call's inputs and outputs live in a run's value table.
    let plan: RunPlan

    /// Checks and orders the graph from `inputs` to `outputs`.
    ///
    /// - Parameter names: names chosen for layers or nodes (keyed by object identity); others are generated
    ///   from the layer type (`dense`, `dense_1`, …).
    /// - Throws: ``NNError/invalidArgument(_:)`` for inputs that are not `Input` placeholders, an input listed
    ///   twice or connected to no output, or an output that depends on an input the model does not list.
    init(inputs: [SymbolicTensor], outputs unnamedOutputs: [(name: String?, tensor: SymbolicTensor)],
         names: [ObjectIdentifier: String] = [:]) throws {
        let outputs = unnamedOutputs
        guard !inputs.isEmpty else { throw NNError.invalidArgument("a functional model needs at least one input") }
        guard !outputs.isEmpty else { throw NNError.invalidArgument("a functional model needs at least one output") }
        for input in inputs {
            guard case .input = input.node.operation else {
                throw NNError.invalidArgument("model inputs must be Input(shape:) placeholders; the output of \(input.node.label) is not one")
            }
        }
        let inputIDs = inputs.map { ObjectIdentifier($0.node) }
        if let duplicate = inputIDs.indices.first(where: { inputIDs[..<$0].contains(inputIDs[$0]) }) {
            throw NNError.invalidArgument("\(inputs[duplicate].node.label) is listed twice among the model's inputs")
        }
        let order = try Self.order(from: outputs.map(\.tensor.node))
        let reached = Set(order.filter { if case .input = $0.operation { return true } else { return false } }.map(ObjectIdentifier.init))
        if let stray = order.first(where: { if case .input = $0.operation { return !inputIDs.contains(ObjectIdentifier($0)) } else { return false } }) {
            throw NNError.invalidArgument("the outputs depend on \(stray.label), which is not among the model's inputs")
        }
        if let unused = inputs.first(where: { !reached.contains(ObjectIdentifier($0.node)) }) {
            throw NNError.invalidArgument("\(unused.node.label) is not connected to any output")
        }
        calls = order.filter { if case .input = $0.operation { return false } else { return true } }
        var naming = NameAllocator(preset: names)
        var inputSlots: [InputSlot] = []
        for (i, input) in inputs.enumerated() {
            guard case let .input(given) = input.node.operation else { continue }
            let name = naming.name(for: ObjectIdentifier(input.node), base: given ?? (inputs.count == 1 ? "input" : "input_\(i + 1)"))
            inputSlots.append(InputSlot(node: input.node, name: name, shape: input.shape, dtype: input.dtype))
        }
        var layers: [(String, any Layer)] = []
        var callCounts: [ObjectIdentifier: Int] = [:]
        for call in calls {
            let layer = call.operation.layer!
            let key = ObjectIdentifier(layer)
            let layerName: String
            if let count = callCounts[key] {
                layerName = naming.names[key]!
                callCounts[key] = count + 1
                _ = naming.name(for: ObjectIdentifier(call), base: "\(layerName)_call\(count + 1)")
            } else {
                let typeName = (layer as? any SerializableLayer).map { type(of: $0).typeName } ?? String(describing: type(of: layer))
                layerName = naming.name(for: key, base: Self.snakeCase(typeName))
                layers.append((layerName, layer))
                callCounts[key] = 1
                naming.alias(ObjectIdentifier(call), to: layerName)
            }
        }
        // Unnamed outputs take the name of the node producing them (`output` for a model with one).
        let named = outputs.map { output -> (name: String, tensor: SymbolicTensor) in
            let node = naming.names[ObjectIdentifier(output.tensor.node)] ?? output.tensor.node.label
            return (output.name ?? (outputs.count == 1 ? "output" : node + (output.tensor.index > 0 ? "_\(output.tensor.index)" : "")), output.tensor)
        }
        var outputNames = Set<String>()
        for output in named where !outputNames.insert(output.name).inserted {
            throw NNError.invalidArgument("two outputs are named '\(output.name)'")
        }
        self.inputs = inputSlots
        self.outputs = named
        self.layers = layers
        self.nodeNames = naming.names
        plan = RunPlan(inputs: inputSlots.map(\.node), calls: calls, outputs: named.map(\.tensor))
    }

    /// The name of the node producing `tensor`.
    func name(of tensor: SymbolicTensor) -> String { nodeNames[ObjectIdentifier(tensor.node)] ?? tensor.node.label }

    /// The nodes `outputs` depend on, each after its inputs (depth-first, in the order calls list their inputs).
    static func order(from outputs: [GraphNode]) throws -> [GraphNode] {
        var order: [GraphNode] = []
        var state: [ObjectIdentifier: Bool] = [:]  // false: on the current path, true: done
        var stack: [(GraphNode, Int)] = outputs.reversed().map { ($0, 0) }
        while let (node, next) = stack.popLast() {
            let id = ObjectIdentifier(node)
            if next == 0 {
                if state[id] == true { continue }
                if state[id] == false { throw NNError.invalidArgument("the graph has a cycle through \(node.label)") }
                state[id] = false
            }
            if next < node.inputs.count {
                stack.append((node, next + 1))
                let input = node.inputs[next].node
                if state[ObjectIdentifier(input)] == false {
                    throw NNError.invalidArgument("the graph has a cycle: \(node.label) reads \(input.label), which reads it back")
                }
                stack.append((input, 0))
            } else {
                state[id] = true
                order.append(node)
            }
        }
        return order
    }

    /// `Conv2D` → `conv2d`, `BatchNorm` → `batch_norm`, `MaxPool2D` → `max_pool2d`.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        var previous: Character?
        for c in name {
            if c.isUppercase, let p = previous, p.isLowercase { out += "_" }
            out += c.lowercased()
            previous = c
        }
        return out.isEmpty ? "layer" : out
    }
}

/// Gives nodes and layers unique names: preset ones first, then `base`, `base_1`, `base_2`, … as needed.
private struct NameAllocator {
    private(set) var names: [ObjectIdentifier: String] = [:]
    private var taken: Set<String>
    private let preset: [ObjectIdentifier: String]

    init(preset: [ObjectIdentifier: String]) {
        self.preset = preset
        taken = Set(preset.values)
    }

    mutating func name(for id: ObjectIdentifier, base: String) -> String {
        if let existing = names[id] { return existing }
        if let chosen = preset[id] { names[id] = chosen; return chosen }
        var candidate = base
        var k = 1
        while taken.contains(candidate) { candidate = "\(base)_\(k)"; k += 1 }
        taken.insert(candidate)
        names[id] = candidate
        return candidate
    }

    /// Names `id` like an already named object (a layer's first call shares the layer's name).
    mutating func alias(_ id: ObjectIdentifier, to name: String) {
        if let chosen = preset[id] { names[id] = chosen; taken.insert(chosen) } else { names[id] = name }
    }
}
