import KouziBase
import Foundation

/// A model described in JSON: its layers, optimiser, loss and metrics.
///
/// ```json
/// {
///   "name": "mlp-mnist",
///   "input_shape": [784],
///   "layers": [
///     {"type": "Dense", "units": 128, "activation": "relu"},
///     {"type": "Dense", "units": 10, "activation": "softmax"}
///   ],
///   "optimizer": {"name": "adam", "learning_rate": 0.001},
///   "loss": "sparse_categorical_crossentropy",
///   "metrics": ["accuracy"]
/// }
/// ```
///
/// `optimizer` and `loss` are a name or an object with a `"name"` and numeric options (`true`/`false`
/// count as 1/0). `input_shape` (one sample, without the batch dimension) and `metrics` may be left out;
/// without an input shape the model builds when it first sees data. Unknown fields are rejected so a typo
/// never passes silently.
///
/// ```swift
/// let model = try ModelSpec(contentsOf: "examples/specs/mlp-mnist.json").makeModel()
/// try model.fit(x: x, y: y, epochs: 10, batchSize: 64)
/// ```
public struct ModelSpec: Decodable, Sendable, Equatable {
    /// A component chosen by name with numeric options: an optimiser or a loss.
    public struct Component: Sendable, Equatable {
        /// The name, as ``Optimizer/named(_:options:)`` or ``Loss/init(named:options:)`` read it.
        public var name: String
        /// The options (`learning_rate`, `from_logits` …).
        public var options: [String: Double]

        /// A component with options.
        public init(name: String, options: [String: Double] = [:]) {
            self.name = name
            self.options = options
        }
    }

    /// The fields a spec may hold.
    public static let fields: Set<String> = ["name", "description", "input_shape", "layers", "inputs", "nodes", "outputs",
                                             "optimizer", "schedule", "loss", "metrics"]
    /// Options the optimisers understand (across all of them).
    public static let optimizerOptions: Set<String> = [
        "learning_rate", "lr", "clip_norm", "clip_value", "momentum", "nesterov", "dampening", "weight_decay",
        "beta1", "beta2", "epsilon", "alpha", "centered", "lr_decay", "initial_accumulator_value",
    ]
    /// Options the losses understand (across all of them).
    public static let lossOptions: Set<String> = ["from_logits", "delta"]

    /// A name for the model (the default name of its trained file).
    public var name: String?
    /// The shape of one sample without the batch dimension, or nil to take it from the data.
    public var inputShape: [Int]?
    /// The layer specs of a `Sequential` model, as ``LayerRegistry/makeLayer(_:)`` reads them (empty for a graph).
    public var layers: [[String: JSONValue]]
    /// The graph of a functional model: `inputs`, `nodes` and `outputs` (see ``Model/fromArchitecture(_:)``).
    public var graph: Graph?

    /// The graph part of a functional model's spec.
    public struct Graph: Sendable, Equatable {
        /// `{"name", "shape", "dtype"}` objects; empty to take one input named `input` from `input_shape` or the data.
        public var inputs: [JSONValue]
        /// The nodes: layers with their `name` and `inputs`.
        public var nodes: [JSONValue]
        /// Output node names or `{"name", "node"}` objects; nil for the last node.
        public var outputs: JSONValue?
    }
    /// The optimiser.
    public var optimizer: Component
    /// The learning-rate schedule over the epochs (`"cosine"`, `{"name": "step", "step_size": 5, "gamma": 0.5}`,
    /// `{"name": "exponential", "gamma": 0.9}`, each with an optional `warmup_epochs`), or nil for a constant rate.
    public var schedule: Component?
    /// The loss.
    public var loss: Component
    /// Metric names (``Metrics/named(_:)``).
    public var metrics: [String]

    /// A spec from its parts.
    public init(name: String? = nil, inputShape: [Int]? = nil, layers: [[String: JSONValue]], graph: Graph? = nil,
                optimizer: Component, loss: Component, metrics: [String] = []) {
        self.name = name
        self.inputShape = inputShape
        self.layers = layers
        self.graph = graph
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
    }

    /// Decodes a spec; field errors are ``NNError/invalidConfig(_:)`` naming the field.
    public init(from decoder: Decoder) throws {
        try self.init(json: try JSONValue(from: decoder))
    }

    /// Parses JSON text.
    ///
    /// - Throws: ``NNError/invalidConfig(_:)`` for text that is not JSON (with the position Foundation
    ///   reports) or a missing or ill-typed field; ``NNError/unknownName(kind:name:known:)`` for an unknown
    ///   optimiser, loss or metric.
    public init(data: Data) throws {
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw NNError.invalidConfig(Self.syntaxMessage(data))
        }
        try self.init(json: value)
    }

    /// Reads and parses the spec file at `path`; messages about the text start with the path.
    public init(contentsOf path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw NNError.invalidConfig("cannot read model spec '\(path)': no such file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw NNError.invalidConfig("cannot read model spec '\(path)': \(isDirectory.boolValue ? "it is a directory" : "unreadable")")
        }
        do { try self.init(data: data) } catch NNError.invalidConfig(let message) {
            throw NNError.invalidConfig("\(path): \(message)")
        }
    }

    /// Reads a spec from a parsed JSON value.
    public init(json: JSONValue) throws {
        guard let object = json.objectValue else {
            throw NNError.invalidConfig("model spec: expected a JSON object, got \(json)")
        }
        if let extra = Set(object.keys).subtracting(Self.fields).sorted().first {
            throw NNError.invalidConfig("model spec: unknown field '\(extra)' (allowed: \(Self.fields.sorted().joined(separator: ", ")))")
        }
        name = try Self.optionalString(object["name"], field: "name")
        if let shape = object["input_shape"], shape != .null {
            guard let items = shape.arrayValue, !items.isEmpty,
                  case let dims = items.compactMap(\.intValue), dims.count == items.count, dims.allSatisfy({ $0 > 0 || $0 == -1 }) else {
                throw NNError.invalidConfig("model spec: field 'input_shape' must be a non-empty list of positive integers (or -1 for a free dimension), got \(shape)")
            }
            inputShape = dims
        }
        layers = []
        if let nodes = object["nodes"] {
            guard object["layers"] == nil else {
                throw NNError.invalidConfig("model spec: give either 'layers' (a stack) or 'nodes' (a graph), not both")
            }
            guard let list = nodes.arrayValue, !list.isEmpty else {
                throw NNError.invalidConfig("model spec: field 'nodes' must be a non-empty list of node objects, got \(nodes)")
            }
            var inputs: [JSONValue] = []
            if let given = object["inputs"], given != .null {
                guard let items = given.arrayValue else {
                    throw NNError.invalidConfig("model spec: field 'inputs' must be a list of {\"name\", \"shape\"} objects, got \(given)")
                }
                inputs = items
            }
            graph = Graph(inputs: inputs, nodes: list, outputs: object["outputs"])
        } else {
            guard object["inputs"] == nil, object["outputs"] == nil else {
                throw NNError.invalidConfig("model spec: 'inputs' and 'outputs' describe a graph and need 'nodes'")
            }
            guard let layerList = object["layers"] else { throw NNError.invalidConfig("model spec: missing field 'layers'") }
            guard let items = layerList.arrayValue, !items.isEmpty else {
                throw NNError.invalidConfig("model spec: field 'layers' must be a non-empty list of layer objects, got \(layerList)")
            }
            layers = try items.enumerated().map { index, item in
                guard let layer = item.objectValue else {
                    throw NNError.invalidConfig("model spec: layers[\(index)] must be an object like "
                        + "{\"type\": \"Dense\", \"units\": 10}, got \(item)")
                }
                return layer
            }
        }
        optimizer = try Self.component(object["optimizer"], field: "optimizer", allowed: Self.optimizerOptions)
        if let rate = optimizer.options["learning_rate"] ?? optimizer.options["lr"], !(rate > 0 && rate.isFinite) {
            throw NNError.invalidConfig("model spec: optimizer learning_rate must be a positive number, got \(rate)")
        }
        if let value = object["schedule"], value != .null {
            schedule = try Self.component(value, field: "schedule", allowed: ["minimum", "step_size", "gamma", "warmup_epochs"])
        }
        loss = try Self.component(object["loss"], field: "loss", allowed: Self.lossOptions)
        metrics = []
        if let list = object["metrics"], list != .null {
            guard let names = list.arrayValue, case let strings = names.compactMap(\.stringValue), strings.count == names.count else {
                throw NNError.invalidConfig("model spec: field 'metrics' must be a list of metric names, got \(list)")
            }
            metrics = strings
        }
        // Names are checked now so a bad spec fails before any data is read.
        _ = try Optimizer.named(optimizer.name, options: optimizer.options)
        _ = try Loss(named: loss.name, options: loss.options)
        for metric in metrics { _ = try Metrics.named(metric) }
        _ = try learningRateSchedule(epochs: 1)
    }

    /// Builds and compiles the model.
    ///
    /// - Parameter inputShape: the sample shape of the data, used when the spec gives none; when both are
    ///   given they must agree.
    /// - Throws: ``NNError/unknownLayer(_:known:)``, ``NNError/invalidConfig(_:)`` naming the layer
    ///   (`layers[1]: Dense: missing field 'units'`), or ``NNError/invalidInput(layer:expected:got:)`` when
    ///   the layers cannot take the input shape.
    public func makeModel(inputShape dataShape: [Int]? = nil) throws -> Model {
        if let inputShape, let dataShape, inputShape != dataShape {
            throw NNError.invalidConfig("model spec: input_shape \(inputShape) does not match the data's sample shape \(dataShape)")
        }
        let compiled = (optimizer: try Optimizer.named(optimizer.name, options: optimizer.options),
                        loss: try Loss(named: loss.name, options: loss.options))
        if let graph {
            var inputs = graph.inputs
            if inputs.isEmpty {
                guard let shape = inputShape ?? dataShape else {
                    throw NNError.invalidConfig("model spec: a graph needs 'inputs' (or 'input_shape', or data to take the shape from)")
                }
                inputs = [["name": "input", "shape": .ints(shape)]]
            }
            let model = try GraphSpec.model(inputs: inputs, nodes: graph.nodes, outputs: graph.outputs, name: name, context: "model spec")
            try model.compile(optimizer: compiled.optimizer, loss: compiled.loss, metrics: metrics)
            return model
        }
        let built: [any Layer] = try layers.enumerated().map { index, layer in
            do { return try LayerRegistry.makeLayer(layer) } catch let error as NNError {
                switch error {
                case .invalidConfig(let message): throw NNError.invalidConfig("model spec: layers[\(index)]: \(message)")
                case .unknownName: throw NNError.invalidConfig("model spec: layers[\(index)]: \(error)")
                default: throw error
                }
            }
        }
        let model = Sequential(inputShape: nil, built)
        if let shape = inputShape ?? dataShape {
            try model.ensureBuilt(sampleShape: shape)
            _ = try model.outputShape(for: [-1] + shape)
        }
        model.compile(optimizer: compiled.optimizer, loss: compiled.loss, metrics: try metrics.map(Metrics.named))
        return model
    }

    /// The spec's learning-rate schedule for a run of `epochs` epochs (a cosine decays over them), or nil.
    /// - Throws: ``NNError/invalidConfig(_:)`` for an unknown schedule or options out of range.
    public func learningRateSchedule(epochs: Int) throws -> LearningRateSchedule? {
        guard let schedule else { return nil }
        let o = schedule.options
        let warmup = Int(o["warmup_epochs"] ?? 0)
        guard warmup >= 0 else { throw NNError.invalidConfig("model spec: schedule warmup_epochs must be ≥ 0") }
        let main: LearningRateSchedule
        switch schedule.name.lowercased() {
        case "constant": main = .constant
        case "cosine": main = .cosine(period: Swift.max(1, epochs - warmup), minimum: Float(o["minimum"] ?? 0))
        case "step":
            guard let size = o["step_size"], size >= 1 else { throw NNError.invalidConfig("model spec: a step schedule needs step_size ≥ 1") }
            main = .step(stepSize: Int(size), gamma: Float(o["gamma"] ?? 0.1))
        case "exponential": main = .exponential(gamma: Float(o["gamma"] ?? 0.9))
        default:
            throw NNError.unknownName(kind: "schedule", name: schedule.name, known: ["constant", "cosine", "step", "exponential"])
        }
        return warmup > 0 ? .linearWarmup(steps: warmup, startFactor: 0.1, then: main) : main
    }

    private static func optionalString(_ value: JSONValue?, field: String) throws -> String? {
        guard let value, value != .null else { return nil }
        guard let string = value.stringValue else {
            throw NNError.invalidConfig("model spec: field '\(field)' must be a string, got \(value)")
        }
        return string
    }

    /// Reads `"adam"` or `{"name": "adam", "learning_rate": 0.01}`.
    private static func component(_ value: JSONValue?, field: String, allowed: Set<String>) throws -> Component {
        guard let value, value != .null else { throw NNError.invalidConfig("model spec: missing field '\(field)'") }
        if let name = value.stringValue { return Component(name: name) }
        guard let object = value.objectValue else {
            throw NNError.invalidConfig("model spec: field '\(field)' must be a name or an object with a \"name\", got \(value)")
        }
        guard let name = object["name"]?.stringValue else {
            throw NNError.invalidConfig("model spec: field '\(field)' needs a \"name\" string, got \(value)")
        }
        var options: [String: Double] = [:]
        for (key, option) in object where key != "name" {
            guard allowed.contains(key) else {
                let names = allowed.sorted().joined(separator: ", ")
                throw NNError.invalidConfig("model spec: \(field) option '\(key)' is unknown (allowed: \(names))")
            }
            switch option {
            case .number(let number): options[key] = number
            case .bool(let flag): options[key] = flag ? 1 : 0
            default: throw NNError.invalidConfig("model spec: \(field) option '\(key)' must be a number or true/false, got \(option)")
            }
        }
        return Component(name: name, options: options)
    }

    /// A message for text that is not JSON: Foundation's reason, with the line and column of the
    /// offending character when Foundation reports its offset.
    private static func syntaxMessage(_ data: Data) -> String {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return "invalid JSON: the text is empty" }
        var detail = "not valid JSON"
        do { _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? detail
        }
        guard let range = detail.range(of: " around character "),
              let offset = Int(detail[range.upperBound...].prefix { $0.isNumber }), offset >= 0 else { return "invalid JSON: " + detail }
        var line = 1, column = 1
        for byte in data.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return "invalid JSON at line \(line), column \(column): \(detail[..<range.lowerBound].lowercased())"
    }
}
