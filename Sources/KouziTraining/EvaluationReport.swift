import KouziNN
import KouziTensor

/// A model's scores on one labelled data set, as the platform stores and compares them.
///
/// Classification: accuracy, macro and weighted F1, ROC AUC (one-vs-rest macro average for more than two
/// classes), per-class precision/recall/F1/support, the confusion matrix (rows: true class, columns:
/// predicted class) and ROC curves. Regression: RMSE, MAE and R² in the target's own units.
public struct EvaluationReport: Codable, Sendable, Equatable {
    /// Precision, recall and F1 of one class.
    public struct ClassScores: Codable, Sendable, Equatable {
        public var label: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// True examples of this class.
        public var support: Int
    }

    /// Points of a ROC curve, false-positive rate ascending.
    public struct ROCCurve: Codable, Sendable, Equatable {
        /// The positive class (one-vs-rest).
        public var label: String
        public var falsePositiveRate: [Double]
        public var truePositiveRate: [Double]
        public var auc: Double
    }

    /// `classification` or `regression`.
    public var task: String
    /// Examples scored.
    public var examples: Int
    /// Metric name → value (`accuracy`, `f1_macro`, `f1_weighted`, `roc_auc`; `rmse`, `mae`, `r2`).
    public var metrics: [String: Double]
    /// Class names, in the order of the confusion matrix.
    public var classes: [String]?
    public var perClass: [ClassScores]?
    /// `confusionMatrix[t][p]`: examples of true class t predicted as p.
    public var confusionMatrix: [[Int]]?
    public var rocCurves: [ROCCurve]?

    public init(task: String, examples: Int, metrics: [String: Double], classes: [String]? = nil, perClass: [ClassScores]? = nil,
                confusionMatrix: [[Int]]? = nil, rocCurves: [ROCCurve]? = nil) {
        self.task = task
        self.examples = examples
        self.metrics = metrics
        self.classes = classes
        self.perClass = perClass
        self.confusionMatrix = confusionMatrix
        self.rocCurves = rocCurves
    }

    /// The classification report of predicted classes (and each class's probabilities, for ROC curves) against true
    /// class ids.
    public static func classification(classes: [String], predicted: [Int], probabilities: [[Float]], truth: [Int]) -> EvaluationReport {
        let k = classes.count, n = truth.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for (t, p) in zip(truth, predicted) where (0..<k).contains(t) { confusion[t][p] += 1 }
        let correct = (0..<k).reduce(0) { $0 + confusion[$1][$1] }
        var perClass: [ClassScores] = []
        for c in 0..<k {
            let tp = Double(confusion[c][c])
            let predicted = Double((0..<k).reduce(0) { $0 + confusion[$1][c] })
            let support = confusion[c].reduce(0, +)
            let precision = predicted > 0 ? tp / predicted : 0, recall = support > 0 ? tp / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            perClass.append(ClassScores(label: classes[c], precision: precision, recall: recall, f1: f1, support: support))
        }
        var curves: [ROCCurve] = []
        for c in 0..<k where k > 2 || c == 1 {
            let positives = truth.map { $0 == c }
            guard positives.contains(true), positives.contains(false) else { continue }
            curves.append(rocCurve(label: classes[c], scores: probabilities.map { $0[c] }, positives: positives))
        }
        var metrics = ["accuracy": n > 0 ? Double(correct) / Double(n) : 0,
                       "f1_macro": perClass.map(\.f1).reduce(0, +) / Double(max(k, 1)),
                       "f1_weighted": n > 0 ? perClass.reduce(0) { $0 + $1.f1 * Double($1.support) } / Double(n) : 0]
        if !curves.isEmpty { metrics["roc_auc"] = curves.map(\.auc).reduce(0, +) / Double(curves.count) }
        return EvaluationReport(task: "classification", examples: n, metrics: metrics, classes: classes, perClass: perClass,
                                confusionMatrix: confusion, rocCurves: curves)
    }

    /// The regression report of predicted against true values.
    public static func regression(predicted: [Double], truth: [Double]) -> EvaluationReport {
        let n = Double(truth.count)
        let errors = zip(predicted, truth).map { $0 - $1 }
        let mean = truth.reduce(0, +) / max(n, 1)
        let total = truth.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let residual = errors.reduce(0) { $0 + $1 * $1 }
        return EvaluationReport(task: "regression", examples: truth.count, metrics: [
            "rmse": (residual / max(n, 1)).squareRoot(), "mae": errors.reduce(0) { $0 + abs($1) } / max(n, 1),
            "r2": total > 0 ? 1 - residual / total : 0,
        ])
    }

    /// The one-vs-rest ROC curve of `scores`, thinned to at most `points` points, with its exact AUC.
    static func rocCurve(label: String, scores: [Float], positives: [Bool], points: Int = 101) -> ROCCurve {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let nPos = Double(positives.filter { $0 }.count), nNeg = Double(positives.count) - nPos
        var fpr = [0.0], tpr = [0.0]
        var tp = 0.0, fp = 0.0, i = 0
        while i < order.count {
            var j = i
            while j < order.count && scores[order[j]] == scores[order[i]] {
                if positives[order[j]] { tp += 1 } else { fp += 1 }
                j += 1
            }
            fpr.append(fp / nNeg)
            tpr.append(tp / nPos)
            i = j
        }
        if fpr.count > points {
            let step = Double(fpr.count - 1) / Double(points - 1)
            let keep = (0..<points).map { Int((Double($0) * step).rounded()) }
            fpr = keep.map { fpr[$0] }
            tpr = keep.map { tpr[$0] }
        }
        return ROCCurve(label: label, falsePositiveRate: fpr, truePositiveRate: tpr,
                        auc: Double(AUC.rocAUC(scores: scores, positives: positives)))
    }
}
