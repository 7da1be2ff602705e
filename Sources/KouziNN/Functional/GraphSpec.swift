import KouziTensor

/// The JSON form of a functional graph, shared by model specs and model files:
///
/// ```json
/// {"inputs": [{"name": "image", "shape": [28, 28, 1]}],
///  "nodes": [
///    {"name": "stem", "type": "Conv2D", "filters": 32, "kernel_size": 3, "padding": "same"},
///    {"name": "relu", "type": "Activation", "activation": "relu"},
///    {"name": "conv", "type": "Conv2D", "filters": 32, "kernel_size": 3, "padding": "same"},
///    {"name": "sum", "type": "Add", "inputs": ["conv", "relu"]},
///    {"name": "again", "shares": "conv", "inputs": ["sum"]}],
///  "outputs": [{"name": "output", "node": "again"}]}
/// ```
///
/// A node either defines a layer (its `type` and settings, the layer taking the node's name) or calls one defined
/// earlier (`shares`: a shared layer, same weights). `inputs` names inputs or nodes (`name#k` for the k-th output
/// of a node with several); without it a node reads the node before it (the first node, the only input). Nodes
/// may be listed in any order that has no cycle. `outputs` lists node names (outputs named like their nodes) or
/// `{"name", "node"}` objects; without it the last node is the output.
enum GraphSpec {
    /// Builds the model a graph describes, with its layers named as the nodes that define them.
    ///
    /// - Throws: ``NNError/invalidConfig(_:)`` prefixed with `context`, naming the node at fault: an unknown layer
    ///   type, a reference to nothing, a cycle, shapes that do not fit, an input no output uses.
    static func model(inputs inputSpecs: [JSONValue], nodes nodeValues: [JSONValue], outputs: JSONValue?,
                      name: String?, context: String) throws -> Model {
        func fail(_ message: String) -> NNError { .invalidConfig("\(context): \(message)") }
        var tensors: [String: [SymbolicTensor]] = [:]
        var names: [ObjectIdentifier: String] = [:]
        var inputs: [SymbolicTensor] = []
        for (i, value) in inputSpecs.enumerated() {
            guard let spec = value.objectValue, let inputName = spec["name"]?.stringValue else {
                throw fail("inputs[\(i)] must be an object with a \"name\" and a \"shape\", got \(value)")
            }
            guard let shape = spec["shape"]?.arrayValue?.compactMap(\.intValue), shape.count == spec["shape"]?.arrayValue?.count,
                  shape.allSatisfy({ $0 > 0 || $0 == -1 }) else {
                throw fail("input '\(inputName)': \"shape\" must be a list of positive sizes (or -1), got \(spec["shape"] ?? .null)")
            }
            let dtype = try spec["dtype"].map { value -> DType in
                guard let text = value.stringValue, let dtype = DType(rawValue: text) else {
                    throw fail("input '\(inputName)': unknown dtype \(value) (known: \(DType.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return dtype
            } ?? .float32
            guard tensors[inputName] == nil else { throw fail("two inputs are named '\(inputName)'") }
            let tensor = Input(shape: shape, dtype: dtype, name: inputName)
            tensors[inputName] = [tensor]
            names[ObjectIdentifier(tensor.node)] = inputName
            inputs.append(tensor)
        }
        let nodes = try nodeValues.enumerated().map { i, value -> (name: String, spec: [String: JSONValue]) in
            guard let spec = value.objectValue, let nodeName = spec["name"]?.stringValue, !nodeName.isEmpty else {
                throw fail("nodes[\(i)] must be an object with a \"name\", got \(value)")
            }
            return (nodeName, spec)
        }
        guard !nodes.isEmpty else { throw fail("a graph needs at least one node") }
        var index: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            guard tensors[node.name] == nil, index[node.name] == nil else { throw fail("two nodes (or a node and an input) are named '\(node.name)'") }
            index[node.name] = i
        }
        // What each node reads, as (node or input name, output index).
        let reads: [[(String, Int)]] = try nodes.enumerated().map { i, node in
            guard let listed = node.spec["inputs"] else {
                if i > 0 { return [(nodes[i - 1].name, 0)] }
                guard inputs.count == 1 else { throw fail("node '\(node.name)' must list its \"inputs\" (the model has \(inputs.count) inputs)") }
                return [(names[ObjectIdentifier(inputs[0].node)]!, 0)]
            }
            guard let items = listed.arrayValue, !items.isEmpty, case let refs = items.compactMap(\.stringValue), refs.count == items.count else {
                throw fail("node '\(node.name)': \"inputs\" must be a non-empty list of node or input names, got \(listed)")
            }
            return try refs.map { ref in
                let parts = ref.split(separator: "#", maxSplits: 1).map(String.init)
                let k = parts.count == 2 ? Int(parts[1]) : 0
                guard let k, k >= 0, tensors[parts[0]] != nil || index[parts[0]] != nil else {
                    throw fail("node '\(node.name)' reads '\(ref)', which is neither an input nor a node")
                }
                return (parts[0], k)
            }
        }
        // A node that shares a layer comes after the node defining it.
        let after: [[String]] = try nodes.map { node in
            var names = [String]()
            if let shared = node.spec["shares"] {
                guard let target = shared.stringValue, index[target] != nil, target != node.name else {
                    throw fail("node '\(node.name)' shares \(shared), which is not another node's layer")
                }
                names.append(target)
            }
            return names
        }
        var definedLayers: [String: any Layer] = [:]
        for i in try order(nodes.map(\.name), dependencies: zip(reads, after).map { $0.map(\.0) + $1 }, index: index, fail: fail) {
            let (nodeName, spec) = nodes[i]
            let args = try reads[i].map { ref, k -> SymbolicTensor in
                guard let outs = tensors[ref], k < outs.count else {
                    throw fail("node '\(nodeName)' reads output \(k) of '\(ref)', which has \(tensors[ref]?.count ?? 0)")
                }
                return outs[k]
            }
            let layer: any Layer
            if let shared = spec["shares"]?.stringValue {
                guard let found = definedLayers[shared] else {
                    throw fail("node '\(nodeName)' shares '\(shared)', which calls a shared layer instead of defining one")
                }
                layer = found
            } else {
                do { layer = try makeLayer(spec) } catch let error as NNError { throw fail("node '\(nodeName)': \(error)") }
                definedLayers[nodeName] = layer
                names[ObjectIdentifier(layer)] = nodeName
            }
            let outputs: [SymbolicTensor]
            do { outputs = try call(layer, on: args) } catch let error as NNError { throw fail("node '\(nodeName)': \(error)") }
            names[ObjectIdentifier(outputs[0].node)] = nodeName
            tensors[nodeName] = outputs
        }
        let outputList = try outputPairs(outputs, last: nodes.last!.name, tensors: tensors, fail: fail)
        do {
            return try Model(inputs: inputs, namedOutputs: outputList, names: names, name: name)
        } catch let error as NNError {
            throw fail("\(error)")
        }
    }

    /// The layer a defining node describes: a registered layer type, or a whole model (`"type": "Model"`).
    private static func makeLayer(_ spec: [String: JSONValue]) throws -> any Layer {
        if spec["type"]?.stringValue == "Model" {
            guard let architecture = spec["architecture"] else { throw NNError.invalidConfig("a Model node needs its \"architecture\"") }
            return try Model.fromArchitecture(architecture)
        }
        return try LayerRegistry.makeLayer(spec.filter { $0.key != "name" && $0.key != "inputs" })
    }

    /// Records a call of `layer` on `args`: a merging layer on the list, a model on its inputs, a layer on one.
    private static func call(_ layer: any Layer, on args: [SymbolicTensor]) throws -> [SymbolicTensor] {
        if let merge = layer as? any MergingLayer { return [try merge(args)] }
        if let model = layer as? Model { return try model(args) }
        guard args.count == 1 else { throw NNError.invalidArgument("\(layer.name) takes one input, the node lists \(args.count)") }
        return [try layer(args[0])]
    }

    /// The nodes in an order where each comes after those it depends on (list order among the ready ones).
    /// - Throws: naming the nodes of a cycle.
    private static func order(_ names: [String], dependencies: [[String]], index: [String: Int],
                              fail: (String) -> NNError) throws -> [Int] {
        var waiting = dependencies.map { Set($0.compactMap { index[$0] }) }
        var users = [[Int]](repeating: [], count: names.count)
        for (i, deps) in waiting.enumerated() { for d in deps { users[d].append(i) } }
        var ready = waiting.indices.filter { waiting[$0].isEmpty }
        var order: [Int] = []
        while !ready.isEmpty {
            let i = ready.removeFirst()
            order.append(i)
            for u in users[i] {
                waiting[u].remove(i)
                if waiting[u].isEmpty { ready.append(u); ready.sort() }
            }
        }
        guard order.count == names.count else {
            // Walk back from a stuck node until a node repeats: that loop is the cycle.
            var path: [Int] = [waiting.indices.first { !waiting[$0].isEmpty }!]
            while let next = waiting[path.last!].sorted().first, !path.contains(next) { path.append(next) }
            let start = path.firstIndex(of: waiting[path.last!].sorted().first!)!
            let cycle = (path[start...] + [path[start]]).reversed().map { "'\(names[$0])'" }
            throw fail("the graph has a cycle: \(cycle.joined(separator: " → "))")
        }
        return order
    }

    /// The model's outputs as (name, tensor) pairs.
    private static func outputPairs(_ value: JSONValue?, last: String, tensors: [String: [SymbolicTensor]],
                                    fail: (String) -> NNError) throws -> [(String, SymbolicTensor)] {
        func tensor(_ ref: String) throws -> SymbolicTensor {
            let parts = ref.split(separator: "#", maxSplits: 1).map(String.init)
            guard let outs = tensors[parts[0]], let k = parts.count == 2 ? Int(parts[1]) : 0, k >= 0, k < outs.count else {
                throw fail("output '\(ref)' names no node")
            }
            return outs[k]
        }
        guard let value, value != .null else { return [("output", try tensor(last))] }
        guard let items = value.arrayValue, !items.isEmpty else { throw fail("\"outputs\" must be a non-empty list, got \(value)") }
        return try items.map { item in
            if let ref = item.stringValue { return (items.count == 1 ? "output" : ref, try tensor(ref)) }
            guard let name = item["name"]?.stringValue, let ref = item["node"]?.stringValue else {
                throw fail("each output is a node name or {\"name\": …, \"node\": …}, got \(item)")
            }
            return (name, try tensor(ref))
        }
    }

    /// The JSON of a functional model's graph: `inputs`, `nodes` and `outputs` as ``model(inputs:nodes:outputs:name:context:)`` reads them.
    static func json(of graph: LayerGraph) throws -> [String: JSONValue] {
        func ref(_ t: SymbolicTensor) -> JSONValue { .string(graph.name(of: t) + (t.index > 0 ? "#\(t.index)" : "")) }
        let layerNames = Dictionary(graph.layers.map { (ObjectIdentifier($0.layer), $0.name) }, uniquingKeysWith: { a, _ in a })
        var defined = Set<ObjectIdentifier>()
        let nodes: [JSONValue] = try graph.calls.map { call in
            let layer = call.operation.layer!
            let id = ObjectIdentifier(layer)
            var node: [String: JSONValue]
            if defined.insert(id).inserted {
                if let model = layer as? Model {
                    node = ["type": "Model", "architecture": try model.architecture()]
                } else {
                    node = try LayerRegistry.spec(of: layer)
                }
            } else {
                node = ["shares": .string(layerNames[id]!)]
            }
            node["name"] = .string(graph.nodeNames[ObjectIdentifier(call)]!)
            node["inputs"] = .array(call.inputs.map(ref))
            return .object(node)
        }
        return [
            "inputs": .array(graph.inputs.map { ["name": .string($0.name), "shape": .ints(Array($0.shape.dropFirst())),
                                                 "dtype": .string($0.dtype.rawValue)] }),
            "nodes": .array(nodes),
            "outputs": .array(graph.outputs.map { ["name": .string($0.name), "node": ref($0.tensor)] }),
        ]
    }
}
