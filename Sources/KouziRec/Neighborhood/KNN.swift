/// Neighbourhood (k-NN) collaborative filtering for explicit ratings, user- or item-based.
///
/// For user-based prediction of r̂_ui, the neighbours are the users v who rated i, the `k` most similar
/// to u are kept, and of those only the ones with positive similarity contribute (N = that set):
/// - `.basic`:    r̂ = Σ_N s_uv r_vi / Σ_N s_uv
/// - `.withMeans`: r̂ = μ_u + Σ_N s_uv (r_vi − μ_v) / Σ_N s_uv   (mean-centering)
/// - `.baseline`:  r̂ = b_ui + Σ_N s_uv (r_vi − b_vi) / Σ_N s_uv  with b_ui = μ + b_u + b_i
///
/// Item-based swaps the roles of users and items. With fewer than `minK` contributing neighbours the
/// model falls back (basic: global mean; with means: μ_u; baseline: b_ui). Cold users/items get the
/// global mean (basic, with means) or the baseline (baseline variant). Defaults are Surprise's:
/// k = 40, minK = 1, MSD similarity, user-based.
///
/// - Complexity: fitting is O(Σ_c |c|²) over the co-rating columns plus O(n²) memory for a dense
///   similarity matrix (or O(n · neighborLimit) when pruned); one prediction is O(|raters of i| · log k).
public final class KNN: RatingPredictor {
    /// The aggregation rule.
    public enum Variant: String, Sendable { case basic, withMeans, baseline }

    /// The aggregation rule.
    public let variant: Variant
    /// The largest number of neighbours to aggregate.
    public let k: Int
    /// The least number of neighbours for a model estimate.
    public let minK: Int
    /// How similarities are computed and stored.
    public let similarity: SimilarityOptions
    /// The bias estimation used by `.baseline` and by `.pearsonBaseline` similarity.
    public let baselineMethod: BaselineMethod

    private var context: RatingContext?
    private var sims = SimilarityMatrix(size: 0, dense: [])
    private var means: [Double] = []
    private var biases = Biases(user: [], item: [])
    private var topSim: [Float] = []
    private var topValue: [Double] = []

    /// A k-NN model (defaults as Surprise's `KNNBasic`/`KNNWithMeans`/`KNNBaseline`).
    public init(variant: Variant = .basic, k: Int = 40, minK: Int = 1,
                similarity: SimilarityOptions = SimilarityOptions(), baseline: BaselineMethod = .standard) {
        self.variant = variant
        self.k = k
        self.minK = minK
        self.similarity = similarity
        self.baselineMethod = baseline
    }

    /// `"KNNBasic"`, `"KNNWithMeans"` or `"KNNBaseline"`, with `-item` for item-based models.
    public var name: String {
        let base = variant == .basic ? "KNNBasic" : (variant == .withMeans ? "KNNWithMeans" : "KNNBaseline")
        return similarity.userBased ? base : base + "-item"
    }
    /// The training id maps.
    public var idMaps: (users: IdMap, items: IdMap) { (context?.users ?? IdMap(), context?.items ?? IdMap()) }
    /// The fitted similarity matrix (between users when user-based, otherwise items).
    public var similarities: SimilarityMatrix { sims }

    /// Computes means, biases (when needed) and the similarity matrix.
    public func fit(_ data: InteractionDataset) throws(RecError) {
        try require(k >= 1, "k", k, "needs ≥ 1")
        try require(minK >= 0, "minK", minK, "needs ≥ 0")
        try similarity.validate()
        try baselineMethod.validate()
        let c = try RatingContext(data, model: name)
        let rows = similarity.userBased ? c.byUser : c.byItem   // entities × other axis
        means = (0..<rows.rowCount).map { r in
            let range = rows.range(of: r)
            guard !range.isEmpty else { return c.globalMean }
            var s = 0.0
            for q in range { s += Double(rows.values[q]) }
            return s / Double(range.count)
        }
        var needsBiases = variant == .baseline
        if case .pearsonBaseline = similarity.measure { needsBiases = true }
        if needsBiases { biases = Biases.estimate(c, method: baselineMethod) }
        // Transform values for the measure.
        var transformed = rows
        switch similarity.measure {
        case .pearsonBaseline:
            let bx = similarity.userBased ? biases.user : biases.item
            let by = similarity.userBased ? biases.item : biases.user
            transformed = rows.mapValues { x, y, v in v - Float(c.globalMean + bx[x] + by[y]) }
        case .adjustedCosine:
            let other = similarity.userBased ? c.byItem : c.byUser
            let otherMeans: [Float] = (0..<other.rowCount).map { r in
                let range = other.range(of: r)
                guard !range.isEmpty else { return 0 }
                var s: Float = 0
                for q in range { s += other.values[q] }
                return s / Float(range.count)
            }
            transformed = rows.mapValues { _, y, v in v - otherMeans[y] }
        default: break
        }
        sims = SimilarityMatrix.compute(rows: transformed, columns: transformed.transposed(), measure: similarity.measure,
                                        minSupport: similarity.minSupport, shrinkage: similarity.shrinkage,
                                        neighborLimit: similarity.neighborLimit)
        topSim = [Float](repeating: 0, count: k)
        topValue = [Double](repeating: 0, count: k)
        context = c
    }

    /// The k-NN estimate for user `user` and item `item`.
    public func predict(user: Int, item: Int) -> Prediction {
        guard let c = context else { return Prediction(value: 0, kind: .coldBoth) }
        let baseUI = variant == .baseline ? biases.baseline(c, user, item) : c.globalMean
        if let cold = c.coldKind(user, item) { return c.clipped(baseUI, cold) }
        let userBased = similarity.userBased
        let x = userBased ? user : item
        let y = userBased ? item : user
        let candidates = userBased ? c.byItem : c.byUser   // who rated i / what u rated
        // Keep the k largest similarities in descending order (insertion into a short sorted list).
        var filled = 0
        for q in candidates.range(of: y) {
            let x2 = Int(candidates.columns[q])
            let s = sims(x, x2)
            if filled == k && s <= topSim[k - 1] { continue }
            var r = Double(candidates.values[q])
            switch variant {
            case .basic: break
            case .withMeans: r -= means[x2]
            case .baseline:
                r -= userBased ? c.globalMean + biases.user[x2] + biases.item[y]
                               : c.globalMean + biases.user[y] + biases.item[x2]
            }
            var pos = filled == k ? k - 1 : filled
            if filled < k { filled += 1 }
            while pos > 0 && topSim[pos - 1] < s {
                topSim[pos] = topSim[pos - 1]; topValue[pos] = topValue[pos - 1]; pos -= 1
            }
            topSim[pos] = s; topValue[pos] = r
        }
        var sumSim = 0.0, sum = 0.0, actual = 0
        for t in 0..<filled where topSim[t] > 0 {
            sumSim += Double(topSim[t]); sum += Double(topSim[t]) * topValue[t]; actual += 1
        }
        switch variant {
        case .basic:
            if actual < minK || sumSim == 0 { return c.clipped(c.globalMean, .fallback) }
            return c.clipped(sum / sumSim, .model)
        case .withMeans:
            if actual < minK || sumSim == 0 { return c.clipped(means[x], .fallback) }
            return c.clipped(means[x] + sum / sumSim, .model)
        case .baseline:
            if actual < minK || sumSim == 0 { return c.clipped(baseUI, .fallback) }
            return c.clipped(baseUI + sum / sumSim, .model)
        }
    }
}

extension CSRMatrix {
    /// A matrix of the same pattern whose values are `transform(row, column, value)`.
    func mapValues(_ transform: (Int, Int, Float) -> Float) -> CSRMatrix {
        var rows = [Int32](repeating: 0, count: nonZeroCount)
        var vals = values
        for r in 0..<rowCount {
            for q in range(of: r) { rows[q] = Int32(r); vals[q] = transform(r, Int(columns[q]), values[q]) }
        }
        return CSRMatrix(rowCount: rowCount, columnCount: columnCount, rows: rows, columns: columns, values: vals)
    }
}
