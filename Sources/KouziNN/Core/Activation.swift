import Foundation
import KouziTensor

/// The activation functions layers can apply by name.
public enum Activation: String, Codable, Sendable, CaseIterable {
    case linear, relu, sigmoid, tanh, leakyRelu = "leaky_relu", gelu, softmax, logSoftmax = "log_softmax", softplus

    /// Applies the activation.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .linear: return x
        case .relu: return x.relu()
        case .sigmoid: return x.sigmoid()
        case .tanh: return x.tanh()
        case .leakyRelu: return x.leakyRelu()
        case .gelu: return x.gelu()
        case .softmax: return x.softmax()
        case .logSoftmax: return x.logSoftmax()
        case .softplus: return x.softplus()
        }
    }

    /// Parses a name, accepting common spellings (`"leakyRelu"`, `"leaky_relu"`, `"LeakyReLU"`).
    public init(named name: String) throws {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "")
        guard let match = Activation.allCases.first(where: { $0.rawValue.replacingOccurrences(of: "_", with: "") == key }) else {
            throw NNError.unknownName(kind: "activation", name: name, known: Activation.allCases.map(\.rawValue))
        }
        self = match
    }
}

/// A layer that applies an ``Activation``.
public final class ActivationLayer: Layer {
    /// The activation applied.
    public let activation: Activation

    public init(_ activation: Activation) { self.activation = activation }

    public func callAsFunction(_ input: Tensor) throws -> Tensor { activation(input) }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
    public var name: String { "Activation(\(activation.rawValue))" }
}
