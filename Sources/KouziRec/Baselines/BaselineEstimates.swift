/// How user and item biases are estimated for the baseline r̂ = μ + b_u + b_i.
public enum BaselineMethod: Sendable, Equatable {
    /// Alternating least squares (Koren 2010): `epochs` sweeps of
    /// b_i = Σ_u (r − μ − b_u) / (λ_i + |U_i|), then b_u = Σ_i (r − μ − b_i) / (λ_u + |I_u|).
    /// Surprise's defaults: 10 epochs, λ_i = 10, λ_u = 15.
    case als(epochs: Int = 10, itemRegularization: Double = 10, userRegularization: Double = 15)
    /// Stochastic gradient descent on the squared error with L2 penalty λ; Surprise's defaults:
    /// 20 epochs, learning rate 0.005, λ = 0.02.
    case sgd(epochs: Int = 20, learningRate: Double = 0.005, regularization: Double = 0.02)

    /// Surprise's default: ALS with 10 epochs, λ_i = 10, λ_u = 15.
    public static let standard = BaselineMethod.als()

    func validate() throws(RecError) {
        switch self {
        case let .als(e, ri, ru):
            try require(e >= 1, "epochs", e, "needs ≥ 1")
            try require(ri >= 0 && ru >= 0, "regularization", "\(ri), \(ru)", "needs ≥ 0")
        case let .sgd(e, lr, reg):
            try require(e >= 1, "epochs", e, "needs ≥ 1")
            try require(lr > 0 && lr.isFinite, "learningRate", lr, "needs > 0")
            try require(reg >= 0, "regularization", reg, "needs ≥ 0")
        }
    }
}

/// User and item biases around the global mean.
struct Biases {
    var user: [Double]
    var item: [Double]

    /// Estimates biases on `c` with `method`.
    static func estimate(_ c: RatingContext, method: BaselineMethod) -> Biases {
        var bu = [Double](repeating: 0, count: c.userCount)
        var bi = [Double](repeating: 0, count: c.itemCount)
        let mu = c.globalMean
        switch method {
        case let .als(epochs, regI, regU):
            for _ in 0..<epochs {
                for i in 0..<c.itemCount {
                    var dev = 0.0
                    let range = c.byItem.range(of: i)
                    for k in range { dev += Double(c.byItem.values[k]) - mu - bu[Int(c.byItem.columns[k])] }
                    bi[i] = dev / (regI + Double(range.count))
                }
                for u in 0..<c.userCount {
                    var dev = 0.0
                    let range = c.byUser.range(of: u)
                    for k in range { dev += Double(c.byUser.values[k]) - mu - bi[Int(c.byUser.columns[k])] }
                    bu[u] = dev / (regU + Double(range.count))
                }
            }
        case let .sgd(epochs, lr, reg):
            for _ in 0..<epochs {
                for u in 0..<c.userCount {
                    for k in c.byUser.range(of: u) {
                        let i = Int(c.byUser.columns[k])
                        let err = Double(c.byUser.values[k]) - (mu + bu[u] + bi[i])
                        bu[u] += lr * (err - reg * bu[u])
                        bi[i] += lr * (err - reg * bi[i])
                    }
                }
            }
        }
        return Biases(user: bu, item: bi)
    }

    /// μ + b_u (when known) + b_i (when known).
    @inline(__always) func baseline(_ c: RatingContext, _ u: Int, _ i: Int) -> Double {
        var v = c.globalMean
        if c.knows(user: u) { v += user[u] }
        if c.knows(item: i) { v += item[i] }
        return v
    }
}

/// The baseline predictor r̂ = μ + b_u + b_i (Surprise's `BaselineOnly`); a cold user or item contributes
/// no bias, so unknown ids still get a defined estimate.
public final class BaselineOnly: RatingPredictor {
    /// The bias estimation method.
    public let method: BaselineMethod
    private var context: RatingContext?
    private var biases = Biases(user: [], item: [])

    /// A baseline model; `method` defaults to ALS (10 epochs, λ_i = 10, λ_u = 15).
    public init(method: BaselineMethod = .standard) { self.method = method }

    /// `"BaselineOnly"`.
    public var name: String { "BaselineOnly" }
    /// The training id maps.
    public var idMaps: (users: IdMap, items: IdMap) { (context?.users ?? IdMap(), context?.items ?? IdMap()) }
    /// The fitted user biases b_u.
    public var userBiases: [Double] { biases.user }
    /// The fitted item biases b_i.
    public var itemBiases: [Double] { biases.item }

    /// Estimates the biases.
    public func fit(_ data: InteractionDataset) throws(RecError) {
        try method.validate()
        let c = try RatingContext(data, model: name)
        biases = Biases.estimate(c, method: method)
        context = c
    }

    /// μ + b_u + b_i, clipped.
    public func predict(user: Int, item: Int) -> Prediction {
        guard let c = context else { return Prediction(value: 0, kind: .coldBoth) }
        return c.clipped(biases.baseline(c, user, item), c.coldKind(user, item) ?? .model)
    }
}
