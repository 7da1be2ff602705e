import KouziTensor

/// Fraction of correct predictions. Reads binary, sparse or one-hot targets (inferred by default).
public final class Accuracy: Metric {
    public let name: String
    let fixedKind: PredictionKind?
    private var correct = 0, total = 0

    public init() { name = "accuracy"; fixedKind = nil }
    init(name: String, kind: PredictionKind) { self.name = name; fixedKind = kind }

    public func reset() { correct = 0; total = 0 }

    public func update(predictions: Tensor, targets: Tensor) throws {
        let kind = try fixedKind ?? PredictionKind.infer(predictions, targets, metric: name)
        let (p, t) = kind.classes(predictions, targets)
        guard p.count == t.count else { throw NNError.targetMismatch(loss: name, predictions: predictions.shape, targets: targets.shape) }
        for (a, b) in zip(p, t) where a == b { correct += 1 }
        total += p.count
    }

    public func result() -> Float { total == 0 ? 0 : Float(correct) / Float(total) }
}

/// A confusion matrix: rows are true classes, columns predicted classes.
public struct ConfusionMatrix: Sendable, Equatable, CustomStringConvertible {
    /// Counts `[actual][predicted]`.
    public private(set) var counts: [[Int]]

    public init(classes: Int) { counts = Array(repeating: Array(repeating: 0, count: classes), count: classes) }

    /// Builds the matrix from predicted and actual class ids.
    public init(predicted: [Int], actual: [Int], classes: Int) throws {
        self.init(classes: classes)
        for (p, a) in zip(predicted, actual) {
            guard (0..<classes).contains(p), (0..<classes).contains(a) else {
                throw NNError.labelOutOfRange(label: (0..<classes).contains(p) ? a : p, classes: classes)
            }
            counts[a][p] += 1
        }
    }

    /// Builds the matrix from model outputs and targets (binary, sparse or one-hot).
    public init(predictions: Tensor, targets: Tensor) throws {
        let kind = try PredictionKind.infer(predictions, targets, metric: "confusion_matrix")
        let (p, a) = kind.classes(predictions, targets)
        let classes = kind == .binary ? 2 : predictions.shape[1]
        try self.init(predicted: p, actual: a, classes: classes)
    }

    public var classCount: Int { counts.count }
    public var total: Int { counts.joined().reduce(0, +) }
    public func truePositives(_ c: Int) -> Int { counts[c][c] }
    public func falsePositives(_ c: Int) -> Int { (0..<classCount).reduce(0) { $0 + ($1 == c ? 0 : counts[$1][c]) } }
    public func falseNegatives(_ c: Int) -> Int { (0..<classCount).reduce(0) { $0 + ($1 == c ? 0 : counts[c][$1]) } }

    public var description: String {
        let width = max(String(counts.joined().max() ?? 0).count, 3)
        func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        let header = pad("") + " | " + (0..<classCount).map { pad(String($0)) }.joined(separator: " ")
        let rows = counts.enumerated().map { pad(String($0.offset)) + " | " + $0.element.map { pad(String($0)) }.joined(separator: " ") }
        return ([header, String(repeating: "-", count: header.count)] + rows).joined(separator: "\n")
    }
}

/// Precision, recall or F1: for binary outputs the positive class, for multi-class the macro average.
public final class ClassificationScore: Metric {
    public enum Kind: String, Sendable { case precision, recall, f1 }
    public let kind: Kind
    private var matrix: ConfusionMatrix?

    public init(_ kind: Kind) { self.kind = kind }
    public var name: String { kind.rawValue }
    public func reset() { matrix = nil }

    public func update(predictions: Tensor, targets: Tensor) throws {
        let batch = try ConfusionMatrix(predictions: predictions, targets: targets)
        if var m = matrix {
            guard m.classCount == batch.classCount else {
                throw NNError.invalidArgument("\(name): class count changed from \(m.classCount) to \(batch.classCount)")
            }
            m = try ConfusionMatrix(merging: m, batch)
            matrix = m
        } else {
            matrix = batch
        }
    }

    public func result() -> Float {
        guard let m = matrix else { return 0 }
        let classes = m.classCount == 2 ? [1] : Array(0..<m.classCount)
        let scores = classes.map { c -> Float in
            let tp = Float(m.truePositives(c)), fp = Float(m.falsePositives(c)), fn = Float(m.falseNegatives(c))
            let p = tp + fp == 0 ? 0 : tp / (tp + fp)
            let r = tp + fn == 0 ? 0 : tp / (tp + fn)
            switch kind {
            case .precision: return p
            case .recall: return r
            case .f1: return p + r == 0 ? 0 : 2 * p * r / (p + r)
            }
        }
        return scores.reduce(0, +) / Float(scores.count)
    }
}

extension ConfusionMatrix {
    init(merging a: ConfusionMatrix, _ b: ConfusionMatrix) throws {
        self.init(classes: a.classCount)
        for i in 0..<a.classCount { for j in 0..<a.classCount { counts[i][j] = a.counts[i][j] + b.counts[i][j] } }
    }
}

/// Area under the ROC curve (exact, by ranks with ties averaged). Binary outputs, or the macro
/// one-vs-rest average for `[N, C]` outputs.
public final class AUC: Metric {
    public let name = "auc"
    private var scores: [[Float]] = []
    private var labels: [Int] = []
    private var kind: PredictionKind?

    public init() {}
    public func reset() { scores = []; labels = []; kind = nil }

    public func update(predictions: Tensor, targets: Tensor) throws {
        let k = try PredictionKind.infer(predictions, targets, metric: name)
        kind = k
        let cols = k == .binary ? 1 : predictions.shape[1]
        let p = predictions.scalars
        if scores.count != cols { scores = Array(repeating: [], count: cols) }
        for c in 0..<cols { scores[c] += stride(from: c, to: p.count, by: cols).map { p[$0] } }
        labels += k.classes(predictions, targets).actual
    }

    public func result() -> Float {
        guard let kind else { return 0 }
        if kind == .binary { return AUC.rocAUC(scores: scores[0], positives: labels.map { $0 == 1 }) }
        let aucs = scores.indices.compactMap { c -> Float? in
            let pos = labels.map { $0 == c }
            return pos.contains(true) && pos.contains(false) ? AUC.rocAUC(scores: scores[c], positives: pos) : nil
        }
        return aucs.isEmpty ? 0 : aucs.reduce(0, +) / Float(aucs.count)
    }

    /// ROC AUC by the Mann–Whitney rank statistic.
    public static func rocAUC(scores: [Float], positives: [Bool]) -> Float {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let r = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = r }
            i = j + 1
        }
        let nPos = Double(positives.filter { $0 }.count), nNeg = Double(positives.count) - nPos
        guard nPos > 0, nNeg > 0 else { return 0 }
        let rankSum = zip(ranks, positives).filter { $0.1 }.reduce(0) { $0 + $1.0 }
        return Float((rankSum - nPos * (nPos + 1) / 2) / (nPos * nNeg))
    }
}
