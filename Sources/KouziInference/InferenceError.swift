/// Why an inference request, its input file or an edge bundle cannot be used; every message names the value at fault.
public enum InferenceError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A request whose tensors do not fit the protocol or the model (the message names the input or output).
    case invalidInput(String)
    /// A request or CSV text that cannot be parsed, with the parser's reason.
    case unreadable(source: String, reason: String)
    /// An answer that cannot be written, with the reason.
    case unwritable(destination: String, reason: String)
    /// An edge bundle or model directory that cannot be used.
    case invalidBundle(path: String, reason: String)
    /// A model that loads but cannot be served (its codec is missing or its saved state invalid).
    case invalidModel(path: String, reason: String)
    /// An explanation this model cannot give (a gradient method for a model of token ids, exact Shapley values for
    /// too many columns, a model kind without explanations), with the reason and what to ask instead.
    case notExplainable(String)

    public var description: String {
        switch self {
        case let .invalidInput(message): return message
        case let .unreadable(source, reason): return "cannot read \(source): \(reason)"
        case let .unwritable(destination, reason): return "cannot write to \(destination): \(reason)"
        case let .invalidBundle(path, reason): return "cannot use the bundle '\(path)': \(reason)"
        case let .invalidModel(path, reason): return "cannot serve the model \(path): \(reason)"
        case let .notExplainable(message): return message
        }
    }
}
