import Foundation
import KouziTensor

/// A trained factor model frozen for serving: top-N lists for a known user (items they saw left out), for a new
/// user folded in from their history, items similar to an item, and rating estimates — saved as
/// `recommender.json` (ids, settings, metrics) plus `factors.safetensors` (the vectors).
///
/// Scores: `μ + b_u + b_i + p_u·q_i` for ratings (SVD), `p_u·q_i (+ b_i)` for events (ALS, BPR). A user the model
/// never saw gets the popularity ranking (`coldStart` in the answer); an unknown item in "similar items" is an
/// error naming it. Scoring all items is O(items × factors).
public struct FactorRecommender: Sendable {
    /// What the training values were.
    public enum Feedback: String, Codable, Sendable {
        /// Explicit ratings on a scale: scores are rating estimates.
        case ratings
        /// Implicit events (views, clicks, plays): scores only rank.
        case events
    }

    public let algorithm: String
    public let feedback: Feedback
    public let users: IdMap
    public let items: IdMap
    public let factors: Int
    let userFactors: [Float]
    let itemFactors: [Float]
    let userBiases: [Float]
    let itemBiases: [Float]
    public let globalMean: Double
    public let scale: RatingScale?
    /// users × items: what each user interacted with in training.
    let seen: CSRMatrix
    /// Interactions per item, for cold users.
    let popularity: [Float]
    /// ‖q_i‖, for cosine similarity.
    let itemNorms: [Float]
    /// Evaluation and settings, kept with the model.
    public var metrics: [String: Double] = [:]
    public var settings: [String: String] = [:]

    init(algorithm: String, feedback: Feedback, users: IdMap, items: IdMap, factors: Int, userFactors: [Float],
         itemFactors: [Float], userBiases: [Float], itemBiases: [Float], globalMean: Double, scale: RatingScale?, seen: CSRMatrix) {
        self.algorithm = algorithm
        self.feedback = feedback
        self.users = users
        self.items = items
        self.factors = factors
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.userBiases = userBiases.isEmpty ? [Float](repeating: 0, count: users.count) : userBiases
        self.itemBiases = itemBiases.isEmpty ? [Float](repeating: 0, count: items.count) : itemBiases
        self.globalMean = globalMean
        self.scale = scale
        self.seen = seen
        let byItem = seen.transposed()
        popularity = (0..<items.count).map { $0 < byItem.rowCount ? Float(byItem.rowLength($0)) : 0 }
        itemNorms = (0..<items.count).map { i in
            var s: Float = 0
            for k in 0..<factors { s += itemFactors[i * factors + k] * itemFactors[i * factors + k] }
            return s.squareRoot()
        }
    }

    /// A ranked list and whether it came from the cold-start path.
    public struct Ranking: Sendable, Equatable {
        public var items: [Recommendation]
        /// True when the user was unknown (or had no usable history) and popularity ranked the items.
        public var coldStart: Bool
    }

    /// The `k` best items for a known user id; items they saw in training and `exclude` are left out.
    public func recommend(user: String, k: Int, excludeSeen: Bool = true, exclude: [String] = []) throws(RecError) -> Ranking {
        try require(k >= 1, "k", k, "needs ≥ 1")
        guard let u = users.index(of: user) else { return rankByPopularity(k: k, exclude: exclude) }
        var scores = [Float](repeating: 0, count: items.count)
        for i in 0..<items.count { scores[i] = score(vector: userFactors, offset: u * factors, bias: userBiases[u], item: i) }
        if excludeSeen { for q in seen.range(of: u) { scores[Int(seen.columns[q])] = -.infinity } }
        return Ranking(items: top(scores, k: k, exclude: exclude), coldStart: false)
    }

    /// The `k` best items for someone the model never saw, from the items they interacted with (and their
    /// ratings, for rating models): their vector is fitted by ridge regression against the fixed item vectors,
    /// no retraining. Items of the history are left out; unknown ones are ignored; none known: popularity.
    public func recommend(history: [String], ratings: [Double]? = nil, k: Int, exclude: [String] = []) throws(RecError) -> Ranking {
        try require(k >= 1, "k", k, "needs ≥ 1")
        if let ratings, ratings.count != history.count {
            throw RecError.sizeMismatch(what: "history ratings", expected: history.count, actual: ratings.count)
        }
        var known: [Int] = [], targets: [Double] = []
        for (n, id) in history.enumerated() {
            guard let i = items.index(of: id) else { continue }
            var target = 1.0
            if feedback == .ratings {
                let r = ratings?[n] ?? scale?.upper ?? 1
                if let scale, !scale.contains(r) {
                    throw RecError.ratingOutOfScale(rating: r, lower: scale.lower, upper: scale.upper, user: "(history)", item: id)
                }
                target = r - globalMean - Double(itemBiases[i])
            }
            known.append(i)
            targets.append(target)
        }
        guard !known.isEmpty else { return rankByPopularity(k: k, exclude: exclude + history) }
        let (p, bias) = ridgeFoldIn(items: known, targets: targets, itemFactors: itemFactors, factors: factors,
                                    fitBias: feedback == .ratings, lambda: 1 + 0.1 * Double(known.count))
        var scores = (0..<items.count).map { score(vector: p, offset: 0, bias: Float(bias), item: $0) }
        for i in known { scores[i] = -.infinity }
        return Ranking(items: top(scores, k: k, exclude: exclude), coldStart: false)
    }

    /// The `k` items whose vectors point most nearly the same way as `item`'s (cosine), the item itself left out.
    public func similarItems(to item: String, k: Int, exclude: [String] = []) throws(RecError) -> [Recommendation] {
        try require(k >= 1, "k", k, "needs ≥ 1")
        guard let i = items.index(of: item) else { throw RecError.unknownItem(item) }
        var scores = [Float](repeating: -.infinity, count: items.count)
        let norm = Swift.max(itemNorms[i], 1e-12)
        for j in 0..<items.count where j != i {
            var dot: Float = 0
            for f in 0..<factors { dot += itemFactors[i * factors + f] * itemFactors[j * factors + f] }
            scores[j] = dot / (norm * Swift.max(itemNorms[j], 1e-12))
        }
        return top(scores, k: k, exclude: exclude)
    }

    /// The rating estimate of a rating model for a user and item (cold terms dropped), clipped to the scale.
    public func predict(user: String, item: String) -> Double {
        let u = users.index(of: user), i = items.index(of: item)
        var estimate = globalMean
        if let u { estimate += Double(userBiases[u]) }
        if let i { estimate += Double(itemBiases[i]) }
        if let u, let i {
            for f in 0..<factors { estimate += Double(userFactors[u * factors + f] * itemFactors[i * factors + f]) }
        }
        return scale?.clip(estimate) ?? estimate
    }

    /// Whether the model knows a user.
    public func knows(user: String) -> Bool { users.index(of: user) != nil }

    @inline(__always) private func score(vector: [Float], offset: Int, bias: Float, item i: Int) -> Float {
        var s: Float = 0
        for f in 0..<factors { s += vector[offset + f] * itemFactors[i * factors + f] }
        switch feedback {
        case .ratings: return Float(globalMean) + bias + itemBiases[i] + s
        case .events: return itemBiases[i] + s
        }
    }

    private func rankByPopularity(k: Int, exclude: [String]) -> Ranking {
        Ranking(items: top(popularity, k: k, exclude: exclude), coldStart: true)
    }

    private func top(_ scores: [Float], k: Int, exclude: [String]) -> [Recommendation] {
        var scores = scores
        for id in exclude { if let i = items.index(of: id) { scores[i] = -.infinity } }
        return topK(scores, k).map { Recommendation(item: items[$0], index: $0, score: scores[$0]) }
    }
}
