/// An online matrix-factorisation recommender for streams of implicit events, in the spirit of
/// Monolith: user and item embeddings live in ``CuckooEmbeddingTable``s (collisionless, frequency
/// filtered, expirable), and ``partialFit(_:)`` applies BPR-SGD updates for newly arrived interactions,
/// so a served model improves without a full retrain.
///
/// score(u, i) = b_i + p_uᵀ q_i. Each new event (u, i) is learned against `negativesPerEvent` items
/// sampled from the known catalogue; a user never seen before (or still filtered) gets the popularity
/// ranking of the items seen so far.
public final class StreamingRecommender {
    /// Latent factors per embedding.
    public let factors: Int
    /// SGD step size.
    public let learningRate: Float
    /// L2 penalty.
    public let regularization: Float
    /// Sampled negatives per event and pass.
    public let negativesPerEvent: Int

    /// User embeddings.
    public private(set) var users: CuckooEmbeddingTable
    /// Item embeddings; the last column of each row is the item bias.
    public private(set) var items: CuckooEmbeddingTable
    private var itemIDs: [String] = []
    private var itemKnown: [UInt64: Int] = [:]
    private var popularity: [Float] = []
    private var seen: [UInt64: Set<Int>] = [:]
    private var rng: RecRandom

    /// A streaming recommender; ids are admitted after `admissionThreshold` sightings.
    public init(factors: Int = 32, learningRate: Float = 0.05, regularization: Float = 0.002,
                negativesPerEvent: Int = 4, admissionThreshold: Int = 1, seed: UInt64 = 0) throws(RecError) {
        try require(negativesPerEvent >= 1, "negativesPerEvent", negativesPerEvent, "needs ≥ 1")
        try require(learningRate > 0 && learningRate.isFinite, "learningRate", learningRate, "needs > 0")
        self.factors = factors
        self.learningRate = learningRate
        self.regularization = regularization
        self.negativesPerEvent = negativesPerEvent
        users = try CuckooEmbeddingTable(dimension: factors, admissionThreshold: admissionThreshold, initStd: 0.1, seed: seed)
        items = try CuckooEmbeddingTable(dimension: factors + 1, admissionThreshold: admissionThreshold, initStd: 0.1, seed: seed &+ 1)
        rng = RecRandom(seed: seed &+ 2)
    }

    /// The items known to the model (ever seen), in arrival order.
    public var catalogue: [String] { itemIDs }

    /// Learns from new interactions with `passes` SGD sweeps over them; returns how many events updated
    /// embeddings (events of filtered ids only count towards admission).
    @discardableResult
    public func partialFit(_ events: [RawInteraction], passes: Int = 5) throws(RecError) -> Int {
        try require(passes >= 1, "passes", passes, "needs ≥ 1")
        var rows: [(user: Int, item: Int, itemIndex: Int)] = []
        for e in events {
            guard e.value.isFinite else { throw RecError.nonFiniteValue(user: e.user, item: e.item) }
            let uk = stableID(e.user), ik = stableID(e.item)
            let index: Int
            if let known = itemKnown[ik] { index = known } else {
                index = itemIDs.count; itemKnown[ik] = index; itemIDs.append(e.item); popularity.append(0)
            }
            popularity[index] += 1
            seen[uk, default: []].insert(index)
            let ur = try users.touch(uk, timestamp: e.timestamp)
            let ir = try items.touch(ik, timestamp: e.timestamp)
            if let ur, let ir { rows.append((ur, ir, index)) }
        }
        guard !rows.isEmpty, itemIDs.count > 1 else { return rows.count }
        let f = factors, d = factors + 1, lr = learningRate, reg = regularization
        var itemRowsByIndex = [Int](repeating: -1, count: itemIDs.count)
        for (k, id) in itemIDs.enumerated() { itemRowsByIndex[k] = items.row(of: stableID(id)) ?? -1 }
        for _ in 0..<passes {
            rng.shuffle(&rows)
            users.withRows { P in
                items.withRows { Q in
                    for (u, i, _) in rows {
                        let pu = P.baseAddress! + u * f, qi = Q.baseAddress! + i * d
                        for _ in 0..<negativesPerEvent {
                            let jr = itemRowsByIndex[rng.index(below: itemRowsByIndex.count)]
                            if jr < 0 || jr == i { continue }
                            let qj = Q.baseAddress! + jr * d
                            var x = qi[f] - qj[f]
                            for k in 0..<f { x += pu[k] * (qi[k] - qj[k]) }
                            let g = sigmoid(-x)
                            qi[f] += lr * (g - reg * qi[f]); qj[f] += lr * (-g - reg * qj[f])
                            for k in 0..<f {
                                let a = pu[k], b = qi[k], c = qj[k]
                                pu[k] = a + lr * (g * (b - c) - reg * a)
                                qi[k] = b + lr * (g * a - reg * b)
                                qj[k] = c + lr * (-g * a - reg * c)
                            }
                        }
                    }
                }
            }
        }
        return rows.count
    }

    /// The `k` best unseen items for `userID`; popularity for an unknown or filtered user.
    public func recommend(userID: String, k: Int = 10) throws(RecError) -> [Recommendation] {
        try require(k >= 1, "k", k, "needs ≥ 1")
        guard !itemIDs.isEmpty else { throw RecError.notFitted(model: "StreamingRecommender") }
        let uk = stableID(userID)
        var scores = [Float](repeating: 0, count: itemIDs.count)
        if let u = users.embedding(of: uk) {
            for (index, id) in itemIDs.enumerated() {
                guard let q = items.embedding(of: stableID(id)) else { scores[index] = -1e9 + popularity[index]; continue }
                var s = q[factors]
                for k in 0..<factors { s += u[k] * q[k] }
                scores[index] = s
            }
        } else {
            scores = popularity
        }
        for i in seen[uk] ?? [] { scores[i] = -.infinity }
        return topK(scores, k).map { Recommendation(item: itemIDs[$0], index: $0, score: scores[$0]) }
    }

    /// Expires users and items not seen since `timestamp` (their rows are freed; their history stays).
    public func expire(olderThan timestamp: Int64) -> (users: Int, items: Int) {
        (users.expire(olderThan: timestamp).count, items.expire(olderThan: timestamp).count)
    }
}
