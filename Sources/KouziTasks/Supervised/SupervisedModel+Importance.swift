import KouziExplain
import KouziTraining
import KouziTensor

/// Global explanations of a table model: how much its score on a labelled table drops when each column is shuffled.
package struct ColumnImportances: Codable, Sendable, Equatable {
    /// One column's importance: the mean drop of the score over the repeats, its spread and 95 % interval.
    package struct Column: Codable, Sendable, Equatable {
        package var name: String
        package var mean: Double
        package var standardDeviation: Double
        package var lower: Double
        package var upper: Double
    }

    /// `accuracy` for a classifier, `r2` for a regression.
    package var metric: String
    /// The score on the intact rows.
    package var baseline: Double
    /// Rows scored (an even sample of the table when it is larger than asked).
    package var rows: Int
    package var repeats: Int
    /// The columns in the model's order.
    package var columns: [Column]
}

extension SupervisedModel {
    /// The most rows permutation importance scores when not told.
    package static let importanceRows = 5000

    /// Permutation importance of each feature column on the labelled table `raw` (a category's one-hot features are
    /// shuffled together, as one column).
    /// - Throws: ``TrainingError/invalidData(_:)`` for a model that does not read table columns.
    package func columnImportances(_ raw: RawData, repeats: Int, maxRows: Int = importanceRows, seed: UInt64 = 0) throws -> ColumnImportances {
        guard let table = preprocessing.table else {
            throw TrainingError.invalidData("column importances explain models of table columns; this model reads "
                + (preprocessing.text != nil ? "sentences" : "images or tensors") + " (explain its answers per request instead)")
        }
        var (x, y) = try preprocessing.examples(raw, inputShape: model.inputShape)
        let total = x.shape[0]
        if total > maxRows {
            let picked = (0..<maxRows).map { $0 * total / maxRows }
            x = x.rows(picked)
            y = y.rows(picked)
        }
        let target = preprocessing.target, fromLogits = (model.loss?.options["from_logits"] ?? 0) != 0
        let network = model
        let predict: (Tensor) throws -> Tensor = { batch in
            Predictions.answerMatrix(try network.predict(batch, batchSize: 1024), target: target, fromLogits: fromLogits)
        }
        let classifying = target.form.isClassification
        let score: (Tensor) throws -> Double
        if classifying {
            let labels = y.rank == 2 && y.shape[1] > 1
                ? (0..<y.shape[0]).map { r in (0..<y.shape[1]).max { y[index: r, $0] < y[index: r, $1] } ?? 0 }
                : y.cast(to: .float32).scalars.map { Int($0) }
            score = PredictionScore.accuracy(labels: labels)
        } else {
            score = PredictionScore.r2(targets: y.cast(to: .float32).scalars)
        }
        let result = try PermutationImportance.compute(predict: predict, x: x, score: score, groups: table.featureGroups,
                                                       names: table.columns, repeats: repeats, seed: seed)
        return ColumnImportances(metric: classifying ? "accuracy" : "r2", baseline: result.baseline, rows: x.shape[0], repeats: repeats,
                                 columns: result.features.map {
                                     .init(name: $0.name, mean: $0.mean, standardDeviation: $0.standardDeviation, lower: $0.lower, upper: $0.upper)
                                 })
    }
}
