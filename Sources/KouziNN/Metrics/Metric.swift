import KouziTensor

/// A streaming evaluation metric: updated batch by batch, read at the end of an epoch.
public protocol Metric: AnyObject {
    /// Name used in logs and history (`"accuracy"`, `"auc"` …).
    var name: String { get }
    /// Forgets all accumulated batches.
    func reset()
    /// Adds a batch. Throws when predictions and targets do not fit together.
    func update(predictions: Tensor, targets: Tensor) throws
    /// The metric over all batches since the last reset.
    func result() -> Float
}

/// How classification predictions are read.
enum PredictionKind {
    /// `[N]` or `[N, 1]` probabilities against 0/1 targets.
    case binary
    /// `[N, C]` scores against class ids `[N]`.
    case sparse
    /// `[N, C]` scores against one-hot targets `[N, C]`.
    case categorical

    static func infer(_ p: Tensor, _ t: Tensor, metric: String) throws -> PredictionKind {
        let rows = p.shape.first ?? 0
        guard t.shape.first == rows else {
            throw NNError.targetMismatch(loss: metric, predictions: p.shape, targets: t.shape)
        }
        if p.rank == 1 || (p.rank == 2 && p.shape[1] == 1) { return .binary }
        if p.rank == 2 && t.shape == p.shape { return .categorical }
        if p.rank == 2 && (t.rank == 1 || (t.rank == 2 && t.shape[1] == 1)) { return .sparse }
        throw NNError.targetMismatch(loss: metric, predictions: p.shape, targets: t.shape)
    }

    /// Predicted and true class ids for each row.
    func classes(_ p: Tensor, _ t: Tensor, threshold: Float = 0.5) -> (predicted: [Int], actual: [Int]) {
        switch self {
        case .binary: return (p.scalars.map { $0 >= threshold ? 1 : 0 }, t.scalars.map { $0 >= 0.5 ? 1 : 0 })
        case .sparse: return (p.argmax(axis: -1).intScalars, t.intScalars)
        case .categorical: return (p.argmax(axis: -1).intScalars, t.argmax(axis: -1).intScalars)
        }
    }
}

/// Builds metrics from the names used in specs.
public enum Metrics {
    /// Names understood by ``named(_:)``.
    public static let known = ["accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
                               "precision", "recall", "f1", "auc", "mse", "mae", "r2"]

    /// A metric by name.
    public static func named(_ name: String) throws -> any Metric {
        switch name.lowercased() {
        case "accuracy", "acc": return Accuracy()
        case "binary_accuracy": return Accuracy(name: "binary_accuracy", kind: .binary)
        case "categorical_accuracy": return Accuracy(name: "categorical_accuracy", kind: .categorical)
        case "sparse_categorical_accuracy": return Accuracy(name: "sparse_categorical_accuracy", kind: .sparse)
        case "precision": return ClassificationScore(.precision)
        case "recall": return ClassificationScore(.recall)
        case "f1", "f1_score": return ClassificationScore(.f1)
        case "auc", "roc_auc": return AUC()
        case "mse", "mean_squared_error": return RegressionMetric(.mse)
        case "mae", "mean_absolute_error": return RegressionMetric(.mae)
        case "r2", "r_squared": return RegressionMetric(.r2)
        default: throw NNError.unknownName(kind: "metric", name: name, known: known)
        }
    }
}
