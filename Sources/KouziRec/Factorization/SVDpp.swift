/// SVD++ (Koren 2008): biased matrix factorisation whose user vector is enriched by the implicit
/// feedback of which items the user rated.
///
/// r̂_ui = μ + b_u + b_i + q_iᵀ (p_u + |N(u)|^−½ Σ_{j∈N(u)} y_j), with N(u) the items u rated.
/// Trained by the same per-rating SGD as Surprise's `SVDpp`, including the update of every y_j, j ∈ N(u),
/// after each rating. The y updates are applied exactly but lazily: all y_j of one user follow the same
/// linear recurrence y ← (1 − γλ) y + γ e |N(u)|^−½ q_i, so one accumulated vector and one decay factor
/// per user replace |N(u)| vector updates per rating. This makes an epoch O(ratings · factors) instead of
/// O(Σ_u |N(u)|² · factors) with identical arithmetic (up to rounding).
///
/// Defaults: 20 factors, 20 epochs, γ = 0.007, λ = 0.04, init N(0, 0.1²) (MovieLens-100K 5-fold RMSE ≈ 0.917);
/// ``surpriseDefaults(seed:)`` gives Surprise's (λ = 0.02, RMSE ≈ 0.920).
public final class SVDpp: RatingPredictor {
    /// The number of latent factors.
    public let factors: Int
    /// The number of passes.
    public let epochs: Int
    /// The SGD step size γ.
    public let learningRate: Float
    /// The L2 penalty λ.
    public let regularization: Float
    /// The standard deviation of the initial factors.
    public let initStd: Float
    /// The random seed.
    public let seed: UInt64

    private var context: RatingContext?
    private var p: [Float] = []
    private var q: [Float] = []
    private var y: [Float] = []
    private var bu: [Float] = []
    private var bi: [Float] = []
    /// Per user: p_u + |N(u)|^−½ Σ y_j, cached after training.
    private var userVectors: [Float] = []

    /// Surprise's `SVDpp` defaults: 20 factors, 20 epochs, γ = 0.007, λ = 0.02.
    public static func surpriseDefaults(seed: UInt64 = 0) -> SVDpp {
        SVDpp(factors: 20, epochs: 20, learningRate: 0.007, regularization: 0.02, seed: seed)
    }

    /// An SVD++ model (defaults above).
    public init(factors: Int = 20, epochs: Int = 20, learningRate: Float = 0.007, regularization: Float = 0.04,
                initStd: Float = 0.1, seed: UInt64 = 0) {
        self.factors = factors
        self.epochs = epochs
        self.learningRate = learningRate
        self.regularization = regularization
        self.initStd = initStd
        self.seed = seed
    }

    /// `"SVD++"`.
    public var name: String { "SVD++" }
    /// The training id maps.
    public var idMaps: (users: IdMap, items: IdMap) { (context?.users ?? IdMap(), context?.items ?? IdMap()) }

    /// Trains by SGD, user by user (each user's ratings in a fresh random order every epoch).
    public func fit(_ data: InteractionDataset) throws(RecError) {
        try requireSGD(factors: factors, epochs: epochs, learningRate: learningRate, regularization: regularization)
        let c = try RatingContext(data, model: name)
        let f = factors
        var rng = RecRandom(seed: seed)
        p = (0..<(c.userCount * f)).map { _ in rng.normal(std: initStd) }
        q = (0..<(c.itemCount * f)).map { _ in rng.normal(std: initStd) }
        y = (0..<(c.itemCount * f)).map { _ in rng.normal(std: initStd) }
        bu = [Float](repeating: 0, count: c.userCount)
        bi = [Float](repeating: 0, count: c.itemCount)
        let mu = Float(c.globalMean), lr = learningRate, reg = regularization
        let decay = 1 - lr * reg
        var userOrder = Array(0..<c.userCount)
        var z = [Float](repeating: 0, count: f), g = z
        var local: [Int] = []
        let R = c.byUser
        for _ in 0..<epochs {
            rng.shuffle(&userOrder)
            p.withUnsafeMutableBufferPointer { P in
            q.withUnsafeMutableBufferPointer { Q in
            y.withUnsafeMutableBufferPointer { Y in
            bu.withUnsafeMutableBufferPointer { BU in
            bi.withUnsafeMutableBufferPointer { BI in
            z.withUnsafeMutableBufferPointer { Z in
            g.withUnsafeMutableBufferPointer { G in
                for u in userOrder {
                    let range = R.range(of: u)
                    if range.isEmpty { continue }
                    let s = 1 / Float(range.count).squareRoot()
                    for k in 0..<f { Z[k] = 0; G[k] = 0 }
                    for t in range {
                        let yj = Y.baseAddress! + Int(R.columns[t]) * f
                        for k in 0..<f { Z[k] += yj[k] }
                    }
                    for k in 0..<f { Z[k] *= s }
                    var scale: Float = 1
                    local.removeAll(keepingCapacity: true)
                    local.append(contentsOf: range)
                    rng.shuffle(&local)
                    let pu = P.baseAddress! + u * f
                    for t in local {
                        let i = Int(R.columns[t])
                        let qi = Q.baseAddress! + i * f
                        var dotv: Float = 0
                        for k in 0..<f { dotv += qi[k] * (pu[k] + Z[k]) }
                        let err = R.values[t] - (mu + BU[u] + BI[i] + dotv)
                        BU[u] += lr * (err - reg * BU[u])
                        BI[i] += lr * (err - reg * BI[i])
                        let es = lr * err * s, el = lr * err
                        for k in 0..<f {
                            let a = pu[k], b = qi[k]
                            pu[k] = a + lr * (err * b - reg * a)
                            qi[k] = b + lr * (err * (a + Z[k]) - reg * b)
                            G[k] = decay * G[k] + es * b
                            Z[k] = decay * Z[k] + el * b
                        }
                        scale *= decay
                    }
                    for t in range {
                        let yj = Y.baseAddress! + Int(R.columns[t]) * f
                        for k in 0..<f { yj[k] = scale * yj[k] + G[k] }
                    }
                }
            }}}}}}}
        }
        userVectors = [Float](repeating: 0, count: c.userCount * f)
        for u in 0..<c.userCount {
            let range = R.range(of: u)
            let s = range.isEmpty ? 0 : 1 / Float(range.count).squareRoot()
            for k in 0..<f {
                var sum: Float = 0
                for t in range { sum += y[Int(R.columns[t]) * f + k] }
                userVectors[u * f + k] = p[u * f + k] + s * sum
            }
        }
        context = c
    }

    /// μ + b_u + b_i + q_iᵀ (p_u + |N(u)|^−½ Σ y_j), with the terms of a cold user or item dropped.
    public func predict(user: Int, item: Int) -> Prediction {
        guard let c = context else { return Prediction(value: 0, kind: .coldBoth) }
        let ku = c.knows(user: user), ki = c.knows(item: item)
        var est = c.globalMean
        if ku { est += Double(bu[user]) }
        if ki { est += Double(bi[item]) }
        guard ku && ki else { return c.clipped(est, c.coldKind(user, item) ?? .model) }
        est += Double(userVectors.withUnsafeBufferPointer { U in q.withUnsafeBufferPointer { Q in
            dot(U.baseAddress! + user * factors, Q.baseAddress! + item * factors, factors) } })
        return c.clipped(est, .model)
    }

    /// Folds in a new user: the implicit part comes from the given items' y vectors, the explicit part
    /// (p_u and b_u) by ridge regression on the ratings' residuals.
    public func foldIn(items: [String], ratings: [Double]) throws(RecError) -> FoldedUser {
        guard let c = context else { throw RecError.notFitted(model: name) }
        guard items.count == ratings.count else {
            throw RecError.sizeMismatch(what: "fold-in ratings", expected: items.count, actual: ratings.count)
        }
        guard !items.isEmpty else { throw RecError.empty(what: "fold-in history") }
        var known: [Int] = []
        var raw: [Double] = []
        for (id, r) in zip(items, ratings) {
            guard c.scale.contains(r) else {
                throw RecError.ratingOutOfScale(rating: r, lower: c.scale.lower, upper: c.scale.upper, user: "(fold-in)", item: id)
            }
            if let i = c.items.index(of: id), c.knows(item: i) { known.append(i); raw.append(r) }
        }
        guard !known.isEmpty else { throw RecError.unknownItem(items[0]) }
        let f = factors
        let s = 1 / Float(known.count).squareRoot()
        var implicitPart = [Float](repeating: 0, count: f)
        for i in known { for k in 0..<f { implicitPart[k] += s * y[i * f + k] } }
        var targets: [Double] = []
        for (j, i) in known.enumerated() {
            var d: Float = 0
            for k in 0..<f { d += q[i * f + k] * implicitPart[k] }
            targets.append(raw[j] - c.globalMean - Double(bi[i]) - Double(d))
        }
        let lambda = max(Double(regularization) * Double(known.count), 0.1) + 1
        let (pu, b) = ridgeFoldIn(items: known, targets: targets, itemFactors: q, factors: f, fitBias: true, lambda: lambda)
        return FoldedUser(factors: zip(pu, implicitPart).map { $0 + $1 }, bias: b, seen: Set(known))
    }
}
