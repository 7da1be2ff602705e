import KouziTensor

extension MultiHeadAttention: SerializableLayer {
    public static var typeName: String { "MultiHeadAttention" }
    public var config: [String: JSONValue] {
        var c: [String: JSONValue] = ["heads": .number(Double(heads)), "use_bias": .bool(useBias),
                                      "dropout": .number(Double(dropout?.rate ?? 0))]
        if keyDim > 0 { c["key_dim"] = .number(Double(keyDim)) }
        if valueDim > 0 { c["value_dim"] = .number(Double(valueDim)) }
        if let outputDim { c["output_dim"] = .number(Double(outputDim)) }
        if let inputDim { c["input_dim"] = .number(Double(inputDim)) }
        return c
    }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["heads", "key_dim", "value_dim", "output_dim", "dropout", "use_bias", "input_dim", "seed"])
        let heads = try config.int("heads")
        guard (1...1024).contains(heads) else { throw NNError.invalidConfig("MultiHeadAttention: 'heads' must be in 1...1024, got \(heads)") }
        let dropout = try config.double("dropout", default: 0)
        guard (0..<1).contains(dropout) else { throw NNError.invalidConfig("MultiHeadAttention: 'dropout' must be in [0, 1), got \(dropout)") }
        self.init(heads: heads, keyDim: try config.int("key_dim", default: nil), valueDim: try config.int("value_dim", default: nil),
                  outputDim: try config.int("output_dim", default: nil), dropout: Float(dropout),
                  useBias: try config.bool("use_bias", default: true), inputDim: try config.int("input_dim", default: nil),
                  seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}

extension SinusoidalPositionalEncoding: SerializableLayer {
    public static var typeName: String { "SinusoidalPositionalEncoding" }
    public var config: [String: JSONValue] { ["max_length": .number(Double(maxLength))] }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["max_length"])
        let n = try config.int("max_length", default: 512) ?? 512
        guard (1...1_000_000).contains(n) else { throw NNError.invalidConfig("SinusoidalPositionalEncoding: 'max_length' must be in 1...1000000, got \(n)") }
        self.init(maxLength: n)
    }
}

extension LearnedPositionalEmbedding: SerializableLayer {
    public static var typeName: String { "LearnedPositionalEmbedding" }
    public var config: [String: JSONValue] {
        var c: [String: JSONValue] = ["max_length": .number(Double(maxLength))]
        if let features { c["features"] = .number(Double(features)) }
        return c
    }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["max_length", "features", "seed"])
        let n = try config.int("max_length")
        guard (1...1_000_000).contains(n) else { throw NNError.invalidConfig("LearnedPositionalEmbedding: 'max_length' must be in 1...1000000, got \(n)") }
        self.init(maxLength: n, features: try config.int("features", default: nil),
                  seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}

extension TransformerEncoderLayer: SerializableLayer {
    public static var typeName: String { "TransformerEncoderLayer" }
    public var config: [String: JSONValue] {
        ["model_dim": .number(Double(modelDim)), "heads": .number(Double(heads)), "feedforward_dim": .number(Double(feedforwardDim)),
         "dropout": .number(Double(dropoutRate)), "activation": .string(activation.rawValue), "norm_first": .bool(normFirst),
         "epsilon": .number(Double(epsilon))]
    }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["model_dim", "heads", "feedforward_dim", "dropout", "activation", "norm_first", "epsilon", "seed"])
        let d = try config.int("model_dim"), h = try config.int("heads")
        guard (1...65_536).contains(d), (1...1024).contains(h), d % h == 0 else {
            throw NNError.invalidConfig("TransformerEncoderLayer: 'model_dim' \(d) must be positive and divisible by 'heads' \(h)")
        }
        let ff = try config.int("feedforward_dim", default: 2048) ?? 2048
        guard (1...1 << 20).contains(ff) else { throw NNError.invalidConfig("TransformerEncoderLayer: 'feedforward_dim' must be in 1...1048576, got \(ff)") }
        let dropout = try config.double("dropout", default: 0.1)
        guard (0..<1).contains(dropout) else { throw NNError.invalidConfig("TransformerEncoderLayer: 'dropout' must be in [0, 1), got \(dropout)") }
        self.init(modelDim: d, heads: h, feedforwardDim: ff, dropout: Float(dropout),
                  activation: try Activation(named: config.string("activation", default: "relu")!),
                  normFirst: try config.bool("norm_first", default: false), epsilon: Float(try config.double("epsilon", default: 1e-5)),
                  seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}
