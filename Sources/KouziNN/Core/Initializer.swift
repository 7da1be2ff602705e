import Foundation
import KouziTensor

/// Weight initialisation schemes.
///
/// Fans follow the usual convention: for a kernel `[in, out]`, fanIn = in and fanOut = out; for
/// higher-rank kernels the leading (receptive-field) dimensions multiply both.
public enum Initializer: String, Codable, Sendable, CaseIterable {
    case zeros, ones
    case glorotUniform = "glorot_uniform", glorotNormal = "glorot_normal"
    case heUniform = "he_uniform", heNormal = "he_normal"
    case lecunNormal = "lecun_normal"

    /// A tensor of `shape` drawn from this scheme.
    public func make(_ shape: [Int], fanIn: Int, fanOut: Int, using g: inout SeededGenerator) -> Tensor {
        let fi = Float(Swift.max(fanIn, 1)), fo = Float(Swift.max(fanOut, 1))
        switch self {
        case .zeros: return .zeros(shape)
        case .ones: return .ones(shape)
        case .glorotUniform:
            let limit = (6 / (fi + fo)).squareRoot()
            return .randomUniform(shape, low: -limit, high: limit, using: &g)
        case .glorotNormal: return .randomNormal(shape, std: (2 / (fi + fo)).squareRoot(), using: &g)
        case .heUniform:
            let limit = (6 / fi).squareRoot()
            return .randomUniform(shape, low: -limit, high: limit, using: &g)
        case .heNormal: return .randomNormal(shape, std: (2 / fi).squareRoot(), using: &g)
        case .lecunNormal: return .randomNormal(shape, std: (1 / fi).squareRoot(), using: &g)
        }
    }

    /// Parses a name (`"glorot_uniform"`, `"glorotUniform"`, `"xavier_uniform"`, `"kaiming_normal"` …).
    public init(named name: String) throws {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "")
            .replacingOccurrences(of: "xavier", with: "glorot").replacingOccurrences(of: "kaiming", with: "he")
        guard let match = Initializer.allCases.first(where: { $0.rawValue.replacingOccurrences(of: "_", with: "") == key }) else {
            throw NNError.unknownName(kind: "initializer", name: name, known: Initializer.allCases.map(\.rawValue))
        }
        self = match
    }
}

/// The generator used to initialise layers that were given no explicit seed.
///
/// Seed it once (``seed(_:)``) to make a whole model's initialisation reproducible, or build the model inside
/// ``withSeed(_:_:)``, which gives the calling thread a generator of its own, so models built at the same time on
/// other threads (two training jobs in one process) cannot take draws from it.
public enum WeightSeed {
    nonisolated(unsafe) private static var generator = SeededGenerator(seed: 0x6B6F757A69)
    private static let lock = NSLock()
    private static let threadKey = "kouzi.WeightSeed"

    /// A generator owned by one thread.
    private final class Local {
        var generator: SeededGenerator
        init(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }
    }

    /// Reseeds the shared generator.
    public static func seed(_ value: UInt64) { lock.withLock { generator = SeededGenerator(seed: value) } }

    /// Draws a fresh seed for one layer: from this thread's generator inside ``withSeed(_:_:)``, else the shared one.
    public static func next() -> UInt64 {
        if let local = Thread.current.threadDictionary[threadKey] as? Local { return local.generator.next() }
        return lock.withLock { generator.next() }
    }

    /// Runs `body` with layer seeds drawn from a generator seeded with `value` that only this thread uses.
    public static func withSeed<T>(_ value: UInt64, _ body: () throws -> T) rethrows -> T {
        let dictionary = Thread.current.threadDictionary
        let previous = dictionary[threadKey]
        dictionary[threadKey] = Local(value)
        defer { dictionary[threadKey] = previous }
        return try body()
    }
}

