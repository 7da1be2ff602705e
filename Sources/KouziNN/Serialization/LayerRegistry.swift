import Foundation
import KouziTensor

/// A layer that can be written to and rebuilt from a JSON config (model specs and model files).
public protocol SerializableLayer: Layer {
    /// The `"type"` written in specs (`"Dense"`).
    static var typeName: String { get }
    /// The layer's settings (not its weights).
    var config: [String: JSONValue] { get }
    /// Rebuilds a layer from its settings; throws naming the bad field.
    init(config: ConfigReader) throws
}

/// Maps layer type names to their types, so specs and files can name them.
public enum LayerRegistry {
    nonisolated(unsafe) private static var types: [String: any SerializableLayer.Type] =
        Dictionary(builtinLayerTypes.map { ($0.typeName, $0) }, uniquingKeysWith: { first, _ in first })
    private static let lock = NSLock()

    /// Registers a custom layer type.
    public static func register(_ type: any SerializableLayer.Type) {
        lock.withLock { types[type.typeName] = type }
    }

    /// Known type names.
    public static var typeNames: [String] { lock.withLock { types.keys.sorted() } }

    /// Builds a layer from a spec object `{"type": "Dense", "units": 10, …}`.
    public static func makeLayer(_ spec: [String: JSONValue]) throws -> any Layer {
        guard let typeName = spec["type"]?.stringValue else {
            throw NNError.invalidConfig("layer spec \(JSONValue.object(spec)) has no \"type\" string")
        }
        let type = lock.withLock { types[typeName] ?? types.first { $0.key.lowercased() == typeName.lowercased() }?.value }
        guard let type else { throw NNError.unknownLayer(typeName, known: typeNames) }
        return try type.init(config: ConfigReader(layer: typeName, fields: spec))
    }

    /// The spec object of a layer, or an error when the layer cannot be serialised.
    public static func spec(of layer: any Layer) throws -> [String: JSONValue] {
        guard let s = layer as? any SerializableLayer else {
            throw NNError.invalidArgument("layer \(type(of: layer)) cannot be saved: conform it to SerializableLayer and register it")
        }
        var c = s.config
        c["type"] = .string(type(of: s).typeName)
        return c
    }
}

extension Dense: SerializableLayer {
    public static var typeName: String { "Dense" }

    public var config: [String: JSONValue] {
        var c: [String: JSONValue] = ["units": .number(Double(units)), "activation": .string(activation.rawValue),
                                      "use_bias": .bool(useBias), "kernel_initializer": .string(kernelInitializer.rawValue)]
        if let inputSize { c["input_size"] = .number(Double(inputSize)) }
        return c
    }

    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["units", "activation", "use_bias", "kernel_initializer", "input_size", "seed"])
        let units = try config.int("units")
        let limit = 1 << 20
        guard (1...limit).contains(units) else {
            throw NNError.invalidConfig("Dense: 'units' must be between 1 and \(limit), got \(units)")
        }
        let inputSize = try config.int("input_size", default: nil)
        if let inputSize, !(1...limit).contains(inputSize) {
            throw NNError.invalidConfig("Dense: 'input_size' must be between 1 and \(limit), got \(inputSize)")
        }
        self.init(units, activation: try Activation(named: config.string("activation", default: "linear")!),
                  inputSize: inputSize, useBias: try config.bool("use_bias", default: true),
                  kernelInitializer: try Initializer(named: config.string("kernel_initializer", default: "glorot_uniform")!),
                  seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}

extension ActivationLayer: SerializableLayer {
    public static var typeName: String { "Activation" }
    public var config: [String: JSONValue] { ["activation": .string(activation.rawValue)] }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["activation"])
        self.init(try Activation(named: config.string("activation", default: nil) ?? {
            throw NNError.invalidConfig("Activation: missing field 'activation'")
        }()))
    }
}
