/// Why a model could not be written as ONNX or read from it.
public enum ONNXError: Error, Equatable, CustomStringConvertible {
    /// A layer (or setting of one) that has no ONNX form.
    case unsupportedLayer(String)
    /// Operators the importer cannot run, each named with the nodes that use it.
    case unsupportedOperators([String])
    /// The bytes are not an ONNX model (not protobuf, truncated, no graph).
    case malformed(String)
    /// The model needs an operator set newer than the importer knows.
    case opsetTooNew(domain: String, version: Int, supported: Int)
    /// A graph whose structure is broken: a cycle, a name read before anything writes it, a missing initializer.
    case invalidGraph(String)
    /// A tensor stored outside the file (external data) where that is not allowed.
    case externalData(String)

    public var description: String {
        switch self {
        case .unsupportedLayer(let what): return "cannot export to ONNX: \(what)"
        case .unsupportedOperators(let ops):
            return "the ONNX graph uses operators Kouzi cannot run: \(ops.joined(separator: "; "))"
        case .malformed(let why): return "not a readable ONNX model: \(why)"
        case let .opsetTooNew(domain, version, supported):
            return "the model needs opset \(version) of \(domain.isEmpty ? "the default domain" : domain); "
                + "Kouzi reads up to \(supported)"
        case .invalidGraph(let why): return "invalid ONNX graph: \(why)"
        case .externalData(let why): return "external tensor data refused: \(why)"
        }
    }
}
