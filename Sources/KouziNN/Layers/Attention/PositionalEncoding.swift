import Foundation
import KouziTensor

/// Adds the fixed sinusoidal position code of "Attention Is All You Need" to `[batch, steps, features]`:
/// `PE[p, 2i] = sin(p / 10000^(2i/d))`, `PE[p, 2i+1] = cos(p / 10000^(2i/d))`.
public final class SinusoidalPositionalEncoding: Layer {
    /// Longest sequence the table covers.
    public let maxLength: Int
    /// The code table for the feature count last seen, computed once (shared by concurrent calls).
    private let cache = NSLock()
    nonisolated(unsafe) private var table: Tensor?

    public init(maxLength: Int = 512) {
        precondition(maxLength > 0, "maxLength must be positive")
        self.maxLength = maxLength
    }

    public var name: String { "SinusoidalPositionalEncoding" }

    /// The code for `steps` positions and `features` features.
    public static func table(steps: Int, features: Int) -> Tensor {
        var v = [Float](repeating: 0, count: steps * features)
        for p in 0..<steps {
            for i in stride(from: 0, to: features, by: 2) {
                let angle = Double(p) / pow(10_000, Double(i) / Double(features))
                v[p * features + i] = Float(sin(angle))
                if i + 1 < features { v[p * features + i + 1] = Float(cos(angle)) }
            }
        }
        return Tensor(shape: [steps, features], scalars: v)
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank == 3, input.dtype == .float32 else {
            throw NNError.invalidInput(layer: name, expected: "[batch, steps, features] float32", got: input.shape)
        }
        let steps = input.shape[1], features = input.shape[2]
        guard steps <= maxLength else {
            throw NNError.invalidInput(layer: name, expected: "at most \(maxLength) steps (the table's length)", got: input.shape)
        }
        let code = cache.withLock { () -> Tensor in
            if let table, table.shape[1] == features { return table }
            let fresh = Self.table(steps: maxLength, features: features)
            table = fresh
            return fresh
        }
        return input + code.slice(axis: 0, 0..<steps)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
}

/// Adds a learned position embedding `[maxLength, features]` to `[batch, steps, features]`.
public final class LearnedPositionalEmbedding: Layer {
    /// Longest sequence the table covers.
    public let maxLength: Int
    /// Feature count, known once built.
    public private(set) var features: Int?
    private let seed: UInt64

    @Param public var table: Tensor

    public init(maxLength: Int, features: Int? = nil, seed: UInt64? = nil) {
        precondition(maxLength > 0, "maxLength must be positive")
        self.maxLength = maxLength
        self.seed = seed ?? WeightSeed.next()
        if let features { try? build(inputShape: [-1, maxLength, features]) }
    }

    public var isBuilt: Bool { features != nil }
    public var name: String { "LearnedPositionalEmbedding" }

    public func build(inputShape: [Int]) throws {
        guard inputShape.count == 3, let last = inputShape.last, last > 0 else {
            throw NNError.invalidInput(layer: name, expected: "[batch, steps, features]", got: inputShape)
        }
        if let features {
            guard features == last else { throw NNError.invalidInput(layer: name, expected: "[batch, steps, \(features)]", got: inputShape) }
            return
        }
        table = Tensor.randomNormal([maxLength, last], std: 0.02, seed: seed)
        features = last
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        if features == nil { try build(inputShape: input.shape) }
        guard input.rank == 3, input.shape[2] == features, input.dtype == .float32 else {
            throw NNError.invalidInput(layer: name, expected: "[batch, steps, \(features ?? 0)] float32", got: input.shape)
        }
        guard input.shape[1] <= maxLength else {
            throw NNError.invalidInput(layer: name, expected: "at most \(maxLength) steps (the table's length)", got: input.shape)
        }
        return input + table.slice(axis: 0, 0..<input.shape[1])
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
}
