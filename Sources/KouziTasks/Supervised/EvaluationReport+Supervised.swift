import KouziNN
import KouziTensor
import KouziTraining

extension EvaluationReport {
    /// Scores `model` on `x` against targets `y` as ``TargetEncoding`` encodes them.
    package static func make(model: Model, x: Tensor, y: Tensor, target: TargetEncoding, batchSize: Int = 256) throws -> EvaluationReport {
        guard x.rank >= 1, x.shape[0] == y.shape[0], x.shape[0] > 0 else {
            throw TrainingError.invalidData("cannot evaluate \(x.rank >= 1 ? x.shape[0] : 0) examples against \(y.shape.first ?? 0) targets")
        }
        let outputs = try model.predict(x, batchSize: batchSize)
        let fromLogits = (model.loss?.options["from_logits"] ?? 0) != 0
        let predictions = Predictions(outputs: outputs, target: target, fromLogits: fromLogits)
        if predictions.isClassification {
            return classification(classes: predictions.classNames, predicted: predictions.classIDs,
                                  probabilities: predictions.probabilities, truth: truthIDs(y, form: target.form))
        }
        return regression(predicted: predictions.values.map { Double($0[0]) }, truth: y.scalars.map(Double.init))
    }

    /// The true class ids of encoded targets.
    static func truthIDs(_ y: Tensor, form: TargetForm) -> [Int] {
        if form == .oneHot, y.rank == 2 {
            let width = y.shape[1], flat = y.scalars
            return (0..<y.shape[0]).map { r in (0..<width).max { flat[r * width + $0] < flat[r * width + $1] } ?? 0 }
        }
        return y.scalars.map { Int($0.rounded()) }
    }
}
