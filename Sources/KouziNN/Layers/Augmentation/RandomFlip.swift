import Foundation
import KouziTensor

/// Mirrors each image of a channels-last batch left–right with probability ½ while training; the identity in
/// inference (Keras' `RandomFlip("horizontal")`). Inside `fit` the draws come from the training step, so a resumed
/// run flips exactly what an uninterrupted one would.
public final class RandomFlip: Layer {
    private let draws: LayerDraws

    /// A flipping layer; `seed` makes the draws outside `fit` reproducible.
    public init(seed: UInt64? = nil) { draws = LayerDraws(seed: seed) }

    public var name: String { "RandomFlip" }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank == 4, input.dtype == .float32 else {
            throw NNError.invalidInput(layer: name, expected: "[batch, height, width, channels] float32", got: input.shape)
        }
        guard LearningPhase.isTraining else { return input }
        var rng = draws.generator()
        let shifts = (0..<input.shape[0]).map { _ in (dy: 0, dx: 0, mirror: rng.next() & 1 == 1) }
        return ImageWarp(shifts: shifts).apply(input)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
}

/// Shifts each image of a channels-last batch by a random whole number of pixels, up to `height` rows and `width`
/// columns either way, filling with zeros, while training; the identity in inference (Keras' `RandomTranslation`
/// with constant fill, or padding then a random crop).
public final class RandomTranslation: Layer {
    /// The largest shift in rows and in columns.
    public let height: Int, width: Int
    private let draws: LayerDraws

    /// A layer shifting by up to `height` rows and `width` columns.
    public init(height: Int, width: Int, seed: UInt64? = nil) {
        precondition(height >= 0 && width >= 0, "RandomTranslation shifts must be ≥ 0")
        self.height = height
        self.width = width
        draws = LayerDraws(seed: seed)
    }

    public var name: String { "RandomTranslation" }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank == 4, input.dtype == .float32 else {
            throw NNError.invalidInput(layer: name, expected: "[batch, height, width, channels] float32", got: input.shape)
        }
        guard LearningPhase.isTraining, height > 0 || width > 0 else { return input }
        var rng = draws.generator()
        let shifts = (0..<input.shape[0]).map { _ in
            (dy: Int(rng.next() % UInt64(2 * height + 1)) - height, dx: Int(rng.next() % UInt64(2 * width + 1)) - width, mirror: false)
        }
        return ImageWarp(shifts: shifts).apply(input)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
}

extension RandomFlip: SerializableLayer {
    public static var typeName: String { "RandomFlip" }
    public var config: [String: JSONValue] { ["seed": draws.config] }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["seed", "mode"])
        if let mode = try config.string("mode", default: nil), mode != "horizontal" {
            throw NNError.invalidConfig("RandomFlip: 'mode' must be \"horizontal\", got \"\(mode)\"")
        }
        self.init(seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}

extension RandomTranslation: SerializableLayer {
    public static var typeName: String { "RandomTranslation" }
    public var config: [String: JSONValue] {
        ["height": .int(height), "width": .int(width), "seed": draws.config]
    }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["height", "width", "seed"])
        let height = try config.int("height"), width = try config.int("width")
        guard (0...64).contains(height), (0...64).contains(width) else {
            throw NNError.invalidConfig("RandomTranslation: 'height' and 'width' must be between 0 and 64, got \(height) and \(width)")
        }
        self.init(height: height, width: width, seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}
