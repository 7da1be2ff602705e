import KouziBase
import KouziNN
import KouziTraining

/// The columns of an interactions table: who, what, and optionally how much (the target) and when.
///
/// User and item columns are found by name (`user`, `user_id`, `userId`, `customer_id`…; `item`, `item_id`,
/// `movie_id`, `product_id`, `track_id`…, any case); the rating is the submission's `target`; a column named
/// `timestamp`, `time` or `ts` orders each user's history.
public struct RecommenderColumns: Sendable, Equatable {
    public var user: String
    public var item: String
    public var rating: String?
    public var timestamp: String?

    static let userNames = ["user", "user_id", "userid", "customer", "customer_id", "customerid", "member_id"]
    static let itemNames = ["item", "item_id", "itemid", "movie", "movie_id", "movieid", "product", "product_id", "productid",
                            "track", "track_id", "song", "song_id", "article", "article_id", "video_id"]
    static let timeNames = ["timestamp", "time", "ts", "event_time"]

    /// Finds the columns among `names`.
    /// - Throws: ``TrainingError/invalidConfiguration(field:message:)`` listing the columns when one is missing.
    public init(names: [String], target: String?) throws {
        func find(_ candidates: [String]) -> String? { names.first { candidates.contains($0.lowercased()) } }
        let list = names.joined(separator: ", ")
        guard let user = find(Self.userNames) else {
            throw TrainingError.invalidConfiguration(field: "dataset", message: "no user column (name one user, user_id, userId, "
                + "customer_id…; columns: \(list))")
        }
        guard let item = find(Self.itemNames) else {
            throw TrainingError.invalidConfiguration(field: "dataset", message: "no item column (name one item, item_id, movie_id, "
                + "product_id…; columns: \(list))")
        }
        if let target, !names.contains(target) {
            throw TrainingError.invalidConfiguration(field: "target", message: "there is no column '\(target)' (columns: \(list))")
        }
        self.user = user
        self.item = item
        rating = target
        timestamp = find(Self.timeNames)
    }

    /// Checks a data set against a recommender template before a job is queued.
    static func check(_ template: AlgorithmTemplate, _ data: DatasetDescription, target: String?, textColumn: String?) throws {
        if textColumn != nil { throw TrainingError.invalidConfiguration(field: "textColumn", message: "template '\(template.id)' does not read text") }
        let columns = try RecommenderColumns(names: data.columns.map(\.name), target: target)
        if template.id == RecommenderTemplates.svdRecommender.id && target == nil {
            throw TrainingError.invalidConfiguration(field: "target", message: "name the rating column (columns: "
                + "\(data.columns.map(\.name).joined(separator: ", ")))")
        }
        if let rating = columns.rating, let type = data.columns.first(where: { $0.name == rating })?.type, type != "float", type != "integer" {
            throw TrainingError.invalidConfiguration(field: "target", message: "the rating column '\(rating)' holds \(type) values, not numbers")
        }
    }
}

/// The recommendation task's templates: factor models of an interactions table, trained by ``RecommenderTraining``.
public enum RecommenderTemplates {
    /// Every template, in the order a catalogue lists them.
    public static let all = [svdRecommender, alsRecommender, bprRecommender]

    /// A recommender template: checked as an interactions table, trained by ``RecommenderTraining``.
    static func recommender(id: String, title: String, summary: String, hyperparameters: [Hyperparameter]) -> AlgorithmTemplate {
        AlgorithmTemplate(id: id, title: title, summary: summary, task: .recommendation, dataKinds: ["table"],
                          hyperparameters: hyperparameters,
                          check: { template, data, target, textColumn in
                              try RecommenderColumns.check(template, data, target: target, textColumn: textColumn)
                          },
                          train: { context in try RecommenderTraining.train(context, template: id) })
    }

    static func holdout(_ value: Double) -> Hyperparameter {
        .number("holdout", value, 0.02...0.5, "Share of the ratings held out at random to score the model (RMSE, MAE).")
    }

    public static let svdRecommender = recommender(
        id: "svd_recommender", title: "Matrix factorisation (biased SVD)",
        summary: "Ratings as μ + b_u + b_i + p_u·q_i fitted by stochastic gradient descent (Funk's SVD); top-N lists rank the "
            + "estimated ratings of unseen items; new users are folded in from their ratings without retraining.",
        hyperparameters: [
            .integer("factors", 50, 1...512, "Length of the user and item vectors."),
            .integer("epochs", 20, 1...500, "Passes over the ratings."),
            .number("learning_rate", 0.005, 1e-5...1, log: true, "Step size of the gradient descent."),
            .number("regularization", 0.02, 0...10, "L2 penalty on vectors and biases."),
            holdout(0.1),
        ])

    public static let alsRecommender = recommender(
        id: "als_recommender", title: "Implicit ALS",
        summary: "Implicit feedback (views, plays, clicks; a rating column counts as strength) factorised by alternating least "
            + "squares with conjugate-gradient steps, confidence 1 + α·strength; ranks items users have not seen. Scored by leaving out each "
            + "user's last interaction.",
        hyperparameters: [
            .integer("factors", 64, 1...512, "Length of the user and item vectors."),
            .integer("iterations", 15, 1...200, "Alternating passes (users, then items)."),
            .number("regularization", 1, 0...1000, log: false, "L2 penalty on the vectors."),
            .number("alpha", 1, 0.01...1000, log: true, "Confidence per unit of strength."),
        ])

    public static let bprRecommender = recommender(
        id: "bpr_recommender", title: "Bayesian personalised ranking",
        summary: "Implicit feedback ranked pairwise: each user's seen items are pushed above sampled unseen ones by stochastic "
            + "gradient ascent on log σ(x_ui − x_uj), with item biases. Scored by leaving out each user's last interaction.",
        hyperparameters: [
            .integer("factors", 64, 1...512, "Length of the user and item vectors."),
            .integer("epochs", 50, 1...1000, "Passes over the interactions (one sampled pair each)."),
            .number("learning_rate", 0.05, 1e-5...1, log: true, "Step size of the gradient ascent."),
            .number("regularization", 0.01, 0...10, "L2 penalty on vectors and biases."),
        ])
}
