import Foundation
import KouziTensor

/// Zeroes each element with probability `rate` in training and scales the rest by `1 / (1 − rate)`
/// (inverted dropout); the identity in inference.
///
/// Inside `fit` the mask comes from the training step (its seed, epoch and step, and this layer's seed), so a run
/// resumed from a checkpoint drops exactly what an uninterrupted run would; elsewhere from the layer's own seeded
/// generator. Either way a training run is reproducible.
public final class Dropout: Layer {
    /// Probability of dropping an element.
    public let rate: Float
    private let draws: LayerDraws

    public init(_ rate: Float, seed: UInt64? = nil) {
        precondition((0..<1).contains(rate), "Dropout rate must be in [0, 1), got \(rate)")
        self.rate = rate
        draws = LayerDraws(seed: seed)
    }

    public var name: String { "Dropout" }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard LearningPhase.isTraining, rate > 0 else { return input }
        guard input.dtype == .float32 else {
            throw NNError.invalidInput(layer: name, expected: "a float32 tensor", got: input.shape)
        }
        var generator = draws.generator()
        return input.dropout(rate: rate, using: &generator)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
}

extension Dropout: SerializableLayer {
    public static var typeName: String { "Dropout" }
    public var config: [String: JSONValue] { ["rate": .number(Double(rate)), "seed": draws.config] }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["rate", "seed"])
        let rate = try config.double("rate", default: .nan)
        guard (0..<1).contains(rate) else { throw NNError.invalidConfig("Dropout: 'rate' must be in [0, 1), got \(rate)") }
        self.init(Float(rate), seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}

extension LayerNorm: SerializableLayer {
    public static var typeName: String { "LayerNorm" }
    public var config: [String: JSONValue] {
        var c: [String: JSONValue] = ["epsilon": .number(Double(epsilon)), "affine": .bool(affine)]
        if let features { c["features"] = .number(Double(features)) }
        return c
    }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["epsilon", "affine", "features"])
        self.init(epsilon: Float(try config.double("epsilon", default: 1e-5)), affine: try config.bool("affine", default: true),
                  features: try config.int("features", default: nil))
    }
}

extension BatchNorm: SerializableLayer {
    public static var typeName: String { "BatchNorm" }
    public var config: [String: JSONValue] {
        var c: [String: JSONValue] = ["momentum": .number(Double(momentum)), "epsilon": .number(Double(epsilon))]
        if let channels { c["channels"] = .number(Double(channels)) }
        return c
    }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["momentum", "epsilon", "channels"])
        self.init(momentum: Float(try config.double("momentum", default: 0.1)), epsilon: Float(try config.double("epsilon", default: 1e-5)),
                  channels: try config.int("channels", default: nil))
    }
}
