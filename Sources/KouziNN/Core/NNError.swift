import KouziTensor

/// An error from a layer, loss, model or model file, with a message that names the problem.
public enum NNError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An input whose shape the layer cannot take.
    case invalidInput(layer: String, expected: String, got: [Int])
    /// Predictions and targets that do not fit together.
    case targetMismatch(loss: String, predictions: [Int], targets: [Int])
    /// A class label outside `0..<classes`.
    case labelOutOfRange(label: Int, classes: Int)
    /// A model used before `compile`.
    case notCompiled
    /// A model spec or file names a layer type that does not exist.
    case unknownLayer(String, known: [String])
    /// A spec names an unknown optimiser, loss, metric or activation.
    case unknownName(kind: String, name: String, known: [String])
    /// A spec or config field is missing or of the wrong type.
    case invalidConfig(String)
    /// A model file that cannot be read.
    case invalidModelFile(path: String, reason: String)
    /// Anything else.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .invalidInput(layer, expected, got):
            return "\(layer): expected input \(expected), got shape \(got)"
        case let .targetMismatch(loss, p, t):
            return "\(loss): predictions of shape \(p) do not match targets of shape \(t)"
        case let .labelOutOfRange(label, classes):
            return "label \(label) is out of range for \(classes) classes (expected 0..<\(classes))"
        case .notCompiled:
            return "the model is not compiled: call compile(optimizer:loss:metrics:) first"
        case let .unknownLayer(name, known):
            return "unknown layer type '\(name)' (known: \(known.joined(separator: ", ")))"
        case let .unknownName(kind, name, known):
            return "unknown \(kind) '\(name)' (known: \(known.joined(separator: ", ")))"
        case let .invalidConfig(message):
            return message
        case let .invalidModelFile(path, reason):
            return "cannot load model \(path): \(reason)"
        case let .invalidArgument(message):
            return message
        }
    }
}
