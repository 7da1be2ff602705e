/// Alternating least squares for implicit feedback (Hu, Koren & Volinsky 2008), each least-squares step
/// solved approximately by a few conjugate-gradient iterations warm-started from the previous factors
/// (Takács, Pilászy & Tikk 2011), as in the `implicit` library.
///
/// With preference p_ui = 1 for observed pairs (0 otherwise) and confidence c_ui = 1 + α r_ui, it minimises
/// Σ_{u,i} c_ui (p_ui − x_uᵀ y_i)² + λ (Σ‖x_u‖² + Σ‖y_i‖²). A user step solves
/// (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p_u; YᵀY is computed once per half-sweep, so a step costs
/// O(cgSteps · (|N(u)| f + f²)). Defaults: 64 factors, 15 iterations, λ = 1, α = 1, 3 CG steps (chosen on
/// MovieLens-100K leave-last-out NDCG@10).
///
/// A cold user gets the popularity ranking; ``foldIn(items:)`` solves a new user's vector exactly
/// (Cholesky) against the fixed item factors, without retraining.
public final class ImplicitALS: ItemRanker {
    /// The number of latent factors.
    public let factors: Int
    /// The number of alternating sweeps.
    public let iterations: Int
    /// The L2 penalty λ.
    public let regularization: Float
    /// The confidence scale α in c = 1 + α r.
    public let alpha: Float
    /// Conjugate-gradient steps per least-squares solve.
    public let cgSteps: Int
    /// The random seed.
    public let seed: UInt64

    private var context: ImplicitContext?
    /// Users × factors.
    public private(set) var userFactors: [Float] = []
    /// Items × factors.
    public private(set) var itemFactors: [Float] = []

    /// An implicit ALS model.
    public init(factors: Int = 64, iterations: Int = 15, regularization: Float = 1, alpha: Float = 1,
                cgSteps: Int = 3, seed: UInt64 = 0) {
        self.factors = factors
        self.iterations = iterations
        self.regularization = regularization
        self.alpha = alpha
        self.cgSteps = cgSteps
        self.seed = seed
    }

    /// `"ALS"`.
    public var name: String { "ALS" }
    /// The training id maps.
    public var idMaps: (users: IdMap, items: IdMap) { (context?.users ?? IdMap(), context?.items ?? IdMap()) }
    /// The training interactions.
    public var seenItems: CSRMatrix { context?.byUser ?? .empty }

    /// Alternates user and item conjugate-gradient solves.
    public func fit(_ data: InteractionDataset) throws(RecError) {
        try require(factors >= 1, "factors", factors, "needs ≥ 1")
        try require(iterations >= 0, "iterations", iterations, "needs ≥ 0")
        try require(regularization > 0, "regularization", regularization, "needs > 0")
        try require(alpha >= 0, "alpha", alpha, "needs ≥ 0")
        try require(cgSteps >= 1, "cgSteps", cgSteps, "needs ≥ 1")
        let c = try ImplicitContext(data, model: name)
        var rng = RecRandom(seed: seed)
        let f = factors
        var x = (0..<(c.users.count * f)).map { _ in rng.normal(std: 0.01) }
        var y = (0..<(c.items.count * f)).map { _ in rng.normal(std: 0.01) }
        for _ in 0..<iterations {
            Self.solve(&x, fixed: y, ratings: c.byUser, f: f, reg: regularization, alpha: alpha, steps: cgSteps)
            Self.solve(&y, fixed: x, ratings: c.byItem, f: f, reg: regularization, alpha: alpha, steps: cgSteps)
        }
        userFactors = x; itemFactors = y
        context = c
    }

    /// One half-sweep: updates every row of `target` by CG against the `fixed` factors.
    static func solve(_ target: inout [Float], fixed: [Float], ratings: CSRMatrix, f: Int, reg: Float, alpha: Float, steps: Int) {
        let gram = gramian(fixed, f: f)
        let r = UnsafeMutablePointer<Float>.allocate(capacity: f)
        let p = UnsafeMutablePointer<Float>.allocate(capacity: f)
        let ap = UnsafeMutablePointer<Float>.allocate(capacity: f)
        defer { r.deallocate(); p.deallocate(); ap.deallocate() }
        let cols = ratings.columns, vals = ratings.values, starts = ratings.rowStart
        gram.withUnsafeBufferPointer { Gb in
        fixed.withUnsafeBufferPointer { Yb in
        cols.withUnsafeBufferPointer { C in
        vals.withUnsafeBufferPointer { V in
        target.withUnsafeMutableBufferPointer { X in
            let G = Gb.baseAddress!, Y = Yb.baseAddress!
            for u in 0..<ratings.rowCount {
                let xu = X.baseAddress! + u * f
                let lo = starts[u], hi = starts[u + 1]
                if lo == hi { for k in 0..<f { xu[k] = 0 }; continue }
                // r = b − A x, b = Σ c y, A x = G x + Σ (c − 1)(yᵀx) y + λ x
                for k in 0..<f { r[k] = -dot(G + k * f, xu, f) - reg * xu[k] }
                for q in lo..<hi {
                    let yi = Y + Int(C[q]) * f
                    let conf = 1 + alpha * V[q]
                    let w = conf - (conf - 1) * dot(yi, xu, f)
                    for k in 0..<f { r[k] += w * yi[k] }
                }
                var rsOld: Float = 0
                for k in 0..<f { p[k] = r[k]; rsOld += r[k] * r[k] }
                if rsOld < 1e-20 { continue }
                for _ in 0..<steps {
                    for k in 0..<f { ap[k] = dot(G + k * f, p, f) + reg * p[k] }
                    for q in lo..<hi {
                        let yi = Y + Int(C[q]) * f
                        let w = alpha * V[q] * dot(yi, p, f)
                        for k in 0..<f { ap[k] += w * yi[k] }
                    }
                    var pAp: Float = 0
                    for k in 0..<f { pAp += p[k] * ap[k] }
                    guard pAp > 0 else { break }
                    let a = rsOld / pAp
                    var rsNew: Float = 0
                    for k in 0..<f { xu[k] += a * p[k]; r[k] -= a * ap[k]; rsNew += r[k] * r[k] }
                    if rsNew < 1e-20 { break }
                    let beta = rsNew / rsOld
                    for k in 0..<f { p[k] = r[k] + beta * p[k] }
                    rsOld = rsNew
                }
            }
        }}}}}
    }

    /// YᵀY for a rows × f matrix.
    static func gramian(_ y: [Float], f: Int) -> [Float] {
        var g = [Double](repeating: 0, count: f * f)
        let rows = y.count / f
        y.withUnsafeBufferPointer { Y in
            for i in 0..<rows {
                let yi = Y.baseAddress! + i * f
                for a in 0..<f {
                    let va = Double(yi[a])
                    if va == 0 { continue }
                    for b in a..<f { g[a * f + b] += va * Double(yi[b]) }
                }
            }
        }
        var out = [Float](repeating: 0, count: f * f)
        for a in 0..<f { for b in a..<f { out[a * f + b] = Float(g[a * f + b]); out[b * f + a] = Float(g[a * f + b]) } }
        return out
    }

    /// x_uᵀ y_i for every item; popularity for a cold user.
    public func scoreItems(user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        guard let c = context else { return }
        guard c.knows(user: user) else { c.popularityScores(into: scores); return }
        scoreItems(vector: Array(userFactors[(user * factors)..<((user + 1) * factors)]), into: scores)
    }

    /// yᵢᵀ v for every item (for folded-in users).
    public func scoreItems(vector: [Float], into scores: UnsafeMutableBufferPointer<Float>) {
        let f = factors
        itemFactors.withUnsafeBufferPointer { Y in
            vector.withUnsafeBufferPointer { v in
                for i in 0..<min(scores.count, Y.count / f) { scores[i] = dot(Y.baseAddress! + i * f, v.baseAddress!, f) }
            }
        }
    }

    /// Solves a new user's factors exactly from the items they interacted with (strength 1 each), keeping
    /// item factors fixed: (YᵀY + Σ α y yᵀ + λI) x = Σ (1 + α) y.
    ///
    /// - Throws: ``RecError/notFitted(model:)``, ``RecError/empty(what:)`` for an empty history,
    ///   ``RecError/unknownItem(_:)`` when none of the items is known.
    public func foldIn(items: [String]) throws(RecError) -> FoldedUser {
        guard let c = context else { throw RecError.notFitted(model: name) }
        guard !items.isEmpty else { throw RecError.empty(what: "fold-in history") }
        let known = items.compactMap { c.items.index(of: $0) }
        guard !known.isEmpty else { throw RecError.unknownItem(items[0]) }
        let f = factors
        let g = Self.gramian(itemFactors, f: f)
        var a = g.map(Double.init)
        var b = [Double](repeating: 0, count: f)
        for i in known {
            for r in 0..<f {
                let yr = Double(itemFactors[i * f + r])
                b[r] += Double(1 + alpha) * yr
                for s in 0..<f { a[r * f + s] += Double(alpha) * yr * Double(itemFactors[i * f + s]) }
            }
        }
        for d in 0..<f { a[d * f + d] += Double(regularization) }
        guard choleskySolve(&a, &b, n: f) else { return FoldedUser(factors: Array(repeating: 0, count: f), bias: 0, seen: Set(known)) }
        return FoldedUser(factors: b.map { Float($0) }, bias: 0, seen: Set(known))
    }
}
