import Foundation
import KouziBase
import KouziData
import KouziRec
import KouziTraining

/// Trains a recommender template on an interactions table: scores the settings on held-out interactions, then
/// refits on all of them and saves the model for serving (`recommender.json` + `factors.safetensors`).
///
/// The scores are `rmse`/`mae` for ratings; `precision@10`, `recall@10`, `ndcg@10`, `map@10`, `hit_rate@10`, `mrr`,
/// `auc`, `coverage@10` and the popularity baseline's `popularity_recall@10` and `popularity_ndcg@10` for rankers.
enum RecommenderTraining {
    /// Reads, scores, refits and saves into the context's output.
    static func train(_ context: TrainingContext, template: String) throws -> TrainingOutcome {
        let plan = context.plan
        guard case let .table(table, source)? = try context.read(context.train) as? RawData else {
            throw TrainingError.invalidData("recommenders train on a table of interactions")
        }
        let columns = try RecommenderColumns(names: table.columnNames, target: plan.request.target)
        let (data, skipped) = try interactions(table, columns, ratings: template == RecommenderTemplates.svdRecommender.id, source: source)
        context.log("\(data.count) interactions of \(data.users.count) users and \(data.items.count) items"
            + (skipped > 0 ? " (\(skipped) rows without a user, item or rating left out)" : ""))
        let metrics: [String: Double], evaluation: String, model: FactorRecommender
        do { (metrics, evaluation, model) = try fitAndScore(template, plan, data, columns, log: context.log) } catch let error as RecError {
            throw TrainingError.invalidData("\(source): \(error)")
        }
        var saved = model
        saved.metrics = metrics
        saved.settings = plan.parameters.merging(["user_column": columns.user, "item_column": columns.item,
                                                  "evaluation": evaluation]) { a, _ in a }
        try? FileManager.default.removeItem(atPath: context.output)
        try saved.save(to: context.output)
        return TrainingOutcome(
            modelDirectory: context.output, metrics: metrics, reportSplit: "holdout", trainingExamples: data.count,
            details: ["evaluation": .string(evaluation), "interactions": .int(data.count), "users": .int(data.users.count),
                      "items": .int(data.items.count), "skippedRows": .int(skipped)])
    }

    /// Scores the settings on held-out interactions, then refits on all of them.
    private static func fitAndScore(_ template: String, _ plan: TrainingPlan, _ data: InteractionDataset, _ columns: RecommenderColumns,
                                    log onLog: (String) -> Void) throws
        -> (metrics: [String: Double], evaluation: String, model: FactorRecommender) {
        let v = plan.values, seed = plan.seed
        let metrics: [String: Double], evaluation: String, model: FactorRecommender
        switch template {
        case RecommenderTemplates.svdRecommender.id:
            func make() -> SVD {
                SVD(factors: v.int("factors"), epochs: v.int("epochs"), learningRate: Float(v.double("learning_rate")),
                    regularization: Float(v.double("regularization")), seed: seed)
            }
            let split = try Splitter.ratio(data, trainFraction: 1 - v.double("holdout"), seed: seed)
            let scored = make()
            try scored.fit(split.train)
            var predicted: [Double] = [], actual: [Double] = []
            for r in 0..<split.test.count {
                predicted.append(scored.predict(user: Int(split.test.userIndices[r]), item: Int(split.test.itemIndices[r])).value)
                actual.append(Double(split.test.values[r]))
            }
            metrics = ["rmse": RatingMetrics.rmse(predicted: predicted, actual: actual),
                       "mae": RatingMetrics.mae(predicted: predicted, actual: actual)]
            evaluation = "\(split.test.count) ratings held out at random (\(Int((v.double("holdout") * 100).rounded())) %)"
            onLog("held-out RMSE \(Self.format(metrics["rmse"]!)), MAE \(Self.format(metrics["mae"]!)); refitting on every rating")
            let final = make()
            try final.fit(data)
            model = try final.recommender()
        default:
            let make: () -> any ItemRanker = template == RecommenderTemplates.alsRecommender.id
                ? { ImplicitALS(factors: v.int("factors"), iterations: v.int("iterations"),
                                regularization: Float(v.double("regularization")), alpha: Float(v.double("alpha")), seed: seed) }
                : { BPR(factors: v.int("factors"), epochs: v.int("epochs"), learningRate: Float(v.double("learning_rate")),
                        regularization: Float(v.double("regularization")), seed: seed) }
            let split = try Splitter.leaveLastOut(data, holdOut: 1, minimumHistory: 3)
            let scored = make()
            try scored.fit(split.train)
            let report = try RankingEvaluator.evaluate(scored, train: split.train, test: split.test, k: 10)
            let popularity = PopularityRanker()
            try popularity.fit(split.train)
            let baseline = try RankingEvaluator.evaluate(popularity, train: split.train, test: split.test, k: 10)
            metrics = ["precision@10": report.precision, "recall@10": report.recall, "ndcg@10": report.ndcg, "map@10": report.map,
                       "hit_rate@10": report.hitRate, "mrr": report.mrr, "auc": report.auc, "coverage@10": report.coverage,
                       "popularity_recall@10": baseline.recall, "popularity_ndcg@10": baseline.ndcg]
            evaluation = "each user's last interaction held out (\(report.users) users with 3 or more"
                + (columns.timestamp.map { ", ordered by '\($0)'" } ?? ", in table order") + ")"
            onLog("held-out \(report); popularity baseline recall@10 \(Self.format(baseline.recall)); refitting on every interaction")
            let final = make()
            try final.fit(data)
            if let als = final as? ImplicitALS { model = try als.recommender() } else { model = try (final as! BPR).recommender() }
        }
        return (metrics, evaluation, model)
    }

    /// The table's interactions; ratings required for rating models (their scale is the observed range).
    static func interactions(_ table: DataTable, _ columns: RecommenderColumns, ratings: Bool, source: String) throws
        -> (InteractionDataset, skipped: Int) {
        let users = table[columns.user]!.textValues, items = table[columns.item]!.textValues
        let values = try columns.rating.map { name -> [Double?] in
            guard let numbers = table[name]?.numericValues else {
                throw TrainingError.invalidData("\(source): the rating column '\(name)' is not numeric")
            }
            return numbers
        }
        let times = columns.timestamp.flatMap { table[$0]?.numericValues }
        var rows: [RawInteraction] = [], skipped = 0
        rows.reserveCapacity(table.rowCount)
        for r in 0..<table.rowCount {
            guard let user = users[r], let item = items[r], let value = values.map({ $0[r] }) ?? 1 else { skipped += 1; continue }
            rows.append(RawInteraction(user: user, item: item, value: value, timestamp: Int64(times?[r] ?? Double(r))))
        }
        guard rows.count >= 2 else { throw TrainingError.invalidData("\(source): fewer than two usable interactions") }
        let scale: RatingScale
        if ratings {
            let low = rows.map(\.value).min()!, high = rows.map(\.value).max()!
            guard low < high else { throw TrainingError.invalidData("\(source): every rating is \(low); a rating model needs a range") }
            do { scale = try RatingScale(lower: low, upper: high) } catch { throw TrainingError.invalidData("\(source): \(error)") }
        } else {
            if let negative = rows.first(where: { $0.value < 0 }) {
                throw TrainingError.invalidData("\(source): event strength \(negative.value) of user '\(negative.user)' is negative")
            }
            scale = .implicit
        }
        do { return (try InteractionDataset(interactions: rows, scale: scale), skipped) } catch {
            throw TrainingError.invalidData("\(source): \(error)")
        }
    }

    static func format(_ x: Double) -> String { String(format: "%.4f", x) }
}
