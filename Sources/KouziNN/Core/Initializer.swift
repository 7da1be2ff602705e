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
/// Seed it once (``seed(_:)``) to make a whole model's initialisation reproducible.
public enum WeightSeed {
    nonisolated(unsafe) private static var generator = SeededGenerator(seed: 0x6B6F757A69)
    private static let lock = NSLock()

    /// Reseeds the shared generator.
    public static func seed(_ value: UInt64) { lock.withLock { generator = SeededGenerator(seed: value) } }

    /// Draws a fresh seed for one layer.
    public static func next() -> UInt64 { lock.withLock { generator.next() } }
}

