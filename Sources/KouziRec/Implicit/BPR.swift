/// Bayesian personalised ranking (Rendle et al. 2009): matrix factorisation trained by SGD on sampled
/// triples (u, i, j) of a user, an item they interacted with and one they did not, maximising
/// Σ ln σ(x̂_ui − x̂_uj) − λ‖Θ‖² with x̂_ui = b_i + p_uᵀ q_i.
///
/// One epoch draws as many triples as there are interactions (positives uniformly over interactions,
/// negatives uniformly over items, rejected while seen). Defaults: 64 factors, 100 epochs, γ = 0.05,
/// λ = 0.01. A cold user gets the popularity ranking; ``foldIn(items:)`` fits a new user's vector by SGD
/// with the item factors fixed.
public final class BPR: ItemRanker {
    /// The number of latent factors.
    public let factors: Int
    /// The number of epochs (each draws `interactions` triples).
    public let epochs: Int
    /// The SGD step size γ.
    public let learningRate: Float
    /// The L2 penalty λ.
    public let regularization: Float
    /// The random seed.
    public let seed: UInt64

    private var context: ImplicitContext?
    /// Users × factors.
    public private(set) var userFactors: [Float] = []
    /// Items × factors.
    public private(set) var itemFactors: [Float] = []
    /// Item biases.
    public private(set) var itemBiases: [Float] = []

    /// A BPR model.
    public init(factors: Int = 64, epochs: Int = 100, learningRate: Float = 0.05, regularization: Float = 0.01,
                seed: UInt64 = 0) {
        self.factors = factors
        self.epochs = epochs
        self.learningRate = learningRate
        self.regularization = regularization
        self.seed = seed
    }

    /// `"BPR"`.
    public var name: String { "BPR" }
    /// The training id maps.
    public var idMaps: (users: IdMap, items: IdMap) { (context?.users ?? IdMap(), context?.items ?? IdMap()) }
    /// The training interactions.
    public var seenItems: CSRMatrix { context?.byUser ?? .empty }

    /// Trains by SGD on sampled triples.
    public func fit(_ data: InteractionDataset) throws(RecError) {
        try requireSGD(factors: factors, epochs: epochs, learningRate: learningRate, regularization: regularization)
        let c = try ImplicitContext(data, model: name)
        var rng = RecRandom(seed: seed)
        let f = factors
        var p = (0..<(c.users.count * f)).map { _ in rng.normal(std: 0.1) }
        var q = (0..<(c.items.count * f)).map { _ in rng.normal(std: 0.1) }
        var b = [Float](repeating: 0, count: c.items.count)
        let R = c.byUser
        var rowOf = [Int32](repeating: 0, count: R.nonZeroCount)
        for u in 0..<R.rowCount { for t in R.range(of: u) { rowOf[t] = Int32(u) } }
        let nItems = c.items.count, lr = learningRate, reg = regularization
        guard R.nonZeroCount > 0 && nItems > 1 else { userFactors = p; itemFactors = q; itemBiases = b; context = c; return }
        for _ in 0..<epochs {
            p.withUnsafeMutableBufferPointer { P in
            q.withUnsafeMutableBufferPointer { Q in
            b.withUnsafeMutableBufferPointer { B in
                for _ in 0..<R.nonZeroCount {
                    let t = rng.index(below: R.nonZeroCount)
                    let u = Int(rowOf[t]), i = Int(R.columns[t])
                    if R.rowLength(u) >= nItems { continue }
                    var j = rng.index(below: nItems)
                    var tries = 0
                    while R.value(row: u, column: j) != nil && tries < 20 { j = rng.index(below: nItems); tries += 1 }
                    if tries == 20 { continue }
                    let pu = P.baseAddress! + u * f, qi = Q.baseAddress! + i * f, qj = Q.baseAddress! + j * f
                    var x = B[i] - B[j]
                    for k in 0..<f { x += pu[k] * (qi[k] - qj[k]) }
                    let g = sigmoid(-x)
                    B[i] += lr * (g - reg * B[i])
                    B[j] += lr * (-g - reg * B[j])
                    for k in 0..<f {
                        let a = pu[k], bi = qi[k], bj = qj[k]
                        pu[k] = a + lr * (g * (bi - bj) - reg * a)
                        qi[k] = bi + lr * (g * a - reg * bi)
                        qj[k] = bj + lr * (-g * a - reg * bj)
                    }
                }
            }}}
        }
        userFactors = p; itemFactors = q; itemBiases = b
        context = c
    }

    /// b_i + p_uᵀ q_i for every item; popularity for a cold user.
    public func scoreItems(user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        guard let c = context else { return }
        guard c.knows(user: user) else { c.popularityScores(into: scores); return }
        scoreItems(vector: Array(userFactors[(user * factors)..<((user + 1) * factors)]), into: scores)
    }

    /// b_i + vᵀ q_i for every item.
    public func scoreItems(vector: [Float], into scores: UnsafeMutableBufferPointer<Float>) {
        let f = factors
        itemFactors.withUnsafeBufferPointer { Q in
            vector.withUnsafeBufferPointer { v in
                for i in 0..<min(scores.count, itemBiases.count) {
                    scores[i] = itemBiases[i] + dot(Q.baseAddress! + i * f, v.baseAddress!, f)
                }
            }
        }
    }

    /// Fits a new user's vector by BPR-SGD over their items with the item parameters fixed.
    ///
    /// - Throws: ``RecError/notFitted(model:)``, ``RecError/empty(what:)``, ``RecError/unknownItem(_:)``.
    public func foldIn(items: [String], epochs: Int = 200) throws(RecError) -> FoldedUser {
        guard let c = context else { throw RecError.notFitted(model: name) }
        guard !items.isEmpty else { throw RecError.empty(what: "fold-in history") }
        let known = items.compactMap { c.items.index(of: $0) }
        guard !known.isEmpty else { throw RecError.unknownItem(items[0]) }
        let seen = Set(known)
        let f = factors, nItems = c.items.count
        var rng = RecRandom(seed: seed &+ 17)
        var pu = [Float](repeating: 0, count: f)
        for _ in 0..<(epochs * known.count) {
            let i = known[rng.index(below: known.count)]
            let j = rng.index(below: nItems)
            if seen.contains(j) { continue }
            var x = itemBiases[i] - itemBiases[j]
            for k in 0..<f { x += pu[k] * (itemFactors[i * f + k] - itemFactors[j * f + k]) }
            let g = sigmoid(-x)
            for k in 0..<f { pu[k] += learningRate * (g * (itemFactors[i * f + k] - itemFactors[j * f + k]) - regularization * pu[k]) }
        }
        return FoldedUser(factors: pu, bias: 0, seen: seen)
    }
}
