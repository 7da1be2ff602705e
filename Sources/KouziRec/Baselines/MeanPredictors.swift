/// The simplest rating predictors: the global mean, a user's mean, or an item's mean.
///
/// A cold user (for `.user`) or cold item (for `.item`) gets the global mean.
public final class MeanPredictor: RatingPredictor {
    /// Which mean to predict.
    public enum Mode: String, Sendable { case global, user, item }

    /// The mean used.
    public let mode: Mode
    private var context: RatingContext?
    private var means: [Double] = []

    /// A predictor of the `mode` mean.
    public init(_ mode: Mode = .global) { self.mode = mode }

    /// `"GlobalMean"`, `"UserMean"` or `"ItemMean"`.
    public var name: String { mode == .global ? "GlobalMean" : (mode == .user ? "UserMean" : "ItemMean") }
    /// The training id maps.
    public var idMaps: (users: IdMap, items: IdMap) { (context?.users ?? IdMap(), context?.items ?? IdMap()) }

    /// Computes the means.
    public func fit(_ data: InteractionDataset) throws(RecError) {
        let c = try RatingContext(data, model: name)
        context = c
        let m = mode == .user ? c.byUser : c.byItem
        means = (0..<m.rowCount).map { r in
            let range = m.range(of: r)
            guard !range.isEmpty else { return c.globalMean }
            var s = 0.0
            for k in range { s += Double(m.values[k]) }
            return s / Double(range.count)
        }
    }

    /// The chosen mean for the pair.
    public func predict(user: Int, item: Int) -> Prediction {
        guard let c = context else { return Prediction(value: 0, kind: .coldBoth) }
        let kind = c.coldKind(user, item) ?? .model
        switch mode {
        case .global: return c.clipped(c.globalMean, kind)
        case .user: return c.clipped(c.knows(user: user) ? means[user] : c.globalMean, kind)
        case .item: return c.clipped(c.knows(item: item) ? means[item] : c.globalMean, kind)
        }
    }
}
