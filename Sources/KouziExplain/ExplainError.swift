/// Why an explanation cannot be computed; each case's message names what to change.
public enum ExplainError: Error, Equatable, CustomStringConvertible {
    /// The background sample does not fit the model (wrong width, no rows, not finite).
    case invalidBackground(String)
    /// The rows to explain do not fit the model or the explainer's settings.
    case invalidInput(String)
    /// A gradient method was asked of a model whose outputs do not depend differentiably on its inputs.
    case notDifferentiable(String)
    /// Exact Shapley values were asked for more players than their enumeration allows.
    case tooManyFeatures(count: Int, limit: Int)
    /// A setting is out of its range.
    case invalidSetting(String)

    public var description: String {
        switch self {
        case let .invalidBackground(message): return "invalid background: \(message)"
        case let .invalidInput(message): return "invalid input: \(message)"
        case let .notDifferentiable(message): return "not differentiable: \(message)"
        case let .tooManyFeatures(count, limit):
            return "exact Shapley values enumerate every coalition: \(count) features make 2^\(count) of them, and at most "
                + "\(limit) features are allowed; use Kernel SHAP's sampling instead"
        case let .invalidSetting(message): return "invalid setting: \(message)"
        }
    }
}
