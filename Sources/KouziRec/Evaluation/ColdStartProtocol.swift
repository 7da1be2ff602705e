/// Cold-start evaluation protocols: hold out whole items or whole users and rank for them.
public enum ColdStartProtocol {
    /// A split in which a random `fraction` of the items (or users) has no training interaction.
    public struct Split: Sendable {
        /// Interactions of warm entities.
        public let train: InteractionDataset
        /// Every interaction of the cold entities.
        public let test: InteractionDataset
        /// The cold item (or user) indices.
        public let cold: Set<Int>
    }

    /// Holds out a random `fraction` of items with all their interactions.
    public static func coldItems(_ data: InteractionDataset, fraction: Double = 0.2, seed: UInt64 = 0) throws(RecError) -> Split {
        try require(fraction > 0 && fraction < 1, "fraction", fraction, "needs 0 < fraction < 1")
        var order = Array(0..<data.items.count)
        var rng = RecRandom(seed: seed)
        rng.shuffle(&order)
        let cold = Set(order.prefix(max(1, Int(Double(order.count) * fraction))))
        let isCold = (0..<data.count).map { cold.contains(Int(data.itemIndices[$0])) }
        return Split(train: data.subset((0..<data.count).filter { !isCold[$0] }),
                     test: data.subset((0..<data.count).filter { isCold[$0] }), cold: cold)
    }

    /// Holds out a random `fraction` of users with all their interactions.
    public static func coldUsers(_ data: InteractionDataset, fraction: Double = 0.2, seed: UInt64 = 0) throws(RecError) -> Split {
        try require(fraction > 0 && fraction < 1, "fraction", fraction, "needs 0 < fraction < 1")
        var order = Array(0..<data.users.count)
        var rng = RecRandom(seed: seed)
        rng.shuffle(&order)
        let cold = Set(order.prefix(max(1, Int(Double(order.count) * fraction))))
        let isCold = (0..<data.count).map { cold.contains(Int(data.userIndices[$0])) }
        return Split(train: data.subset((0..<data.count).filter { !isCold[$0] }),
                     test: data.subset((0..<data.count).filter { isCold[$0] }), cold: cold)
    }

    /// Ranks only the cold items for every test user (the cold-item protocol).
    public static func evaluateColdItems(_ model: any ItemRanker, split: Split, k: Int = 10) throws(RecError) -> RankingReport {
        try RankingEvaluator.evaluate(itemCount: split.train.items.count, train: split.train, test: split.test, k: k) { u, s in
            model.scoreItems(user: u, into: s)
            for i in 0..<s.count where !split.cold.contains(i) { s[i] = -.infinity }
        }
    }

    /// Ranks every item for the cold users (the cold-user protocol).
    public static func evaluateColdUsers(_ model: any ItemRanker, split: Split, k: Int = 10) throws(RecError) -> RankingReport {
        try RankingEvaluator.evaluate(model, train: split.train, test: split.test, k: k)
    }
}

extension MovieLens100K {
    /// Feature tokens for a ``FeatureFactorization``: genres and title words per item.
    public var itemFeatureTokens: [[String]] {
        (0..<itemFeatures.count).map { i in
            itemFeatures.categories[i].map { "genre:" + MovieLens100K.genres[$0] }
                + TFIDFVectorizer.titleTokens(itemFeatures.titles[i]).map { "word:" + $0 }
        }
    }

    /// Feature tokens for a ``FeatureFactorization``: age decade, gender and occupation per user.
    public var userFeatureTokens: [[String]] { (0..<userFeatures.count).map { userFeatures.tokens(of: $0) } }
}
