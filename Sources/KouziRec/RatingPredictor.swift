/// One predicted rating and how it was obtained.
public struct Prediction: Sendable, Equatable {
    /// How the estimate was made.
    public enum Kind: Sendable, Equatable {
        /// The model's own estimate for a known user and item.
        case model
        /// The user had no training data: the model's cold-start fallback was used.
        case coldUser
        /// The item had no training data: the model's cold-start fallback was used.
        case coldItem
        /// Neither had training data: the global mean was used.
        case coldBoth
        /// Both were known but the model could not estimate (e.g. no neighbour rated the item).
        case fallback
    }

    /// The estimate, clipped to the rating scale.
    public let value: Double
    /// How the estimate was made.
    public let kind: Kind

    /// A prediction of `value` made by path `kind`.
    public init(value: Double, kind: Kind) { self.value = value; self.kind = kind }
}

/// A model that predicts explicit ratings (the Surprise-style task).
///
/// Models work on dense indices of the training data's ``IdMap``s; ``predict(userID:itemID:)`` maps outside
/// ids. A user or item with no training interactions takes the model's cold-start path, never a trap.
public protocol RatingPredictor: AnyObject {
    /// A short name for reports (e.g. `"SVD"`).
    var name: String { get }
    /// Fits the model to `data` (explicit ratings).
    func fit(_ data: InteractionDataset) throws(RecError)
    /// The estimate for user index `user` and item index `item`; indices outside the training data are cold.
    func predict(user: Int, item: Int) -> Prediction
    /// The training data's id maps (empty before `fit`).
    var idMaps: (users: IdMap, items: IdMap) { get }
}

extension RatingPredictor {
    /// The estimate for outside ids; unknown ids take the cold-start path.
    public func predict(userID: String, itemID: String) -> Prediction {
        let maps = idMaps
        return predict(user: maps.users.index(of: userID) ?? Int.max, item: maps.items.index(of: itemID) ?? Int.max)
    }

    /// RMSE and MAE of the model on `test` (which must share the training id maps).
    public func accuracy(on test: InteractionDataset) throws(RecError) -> (rmse: Double, mae: Double) {
        guard !test.isEmpty else { throw RecError.empty(what: "test set") }
        var predicted = [Double](repeating: 0, count: test.count)
        for r in 0..<test.count {
            predicted[r] = predict(user: Int(test.userIndices[r]), item: Int(test.itemIndices[r])).value
        }
        let actual = test.values.map(Double.init)
        return (RatingMetrics.rmse(predicted: predicted, actual: actual), RatingMetrics.mae(predicted: predicted, actual: actual))
    }
}

/// State shared by every rating model: counts, global mean, scale and the two CSR views of the ratings.
struct RatingContext {
    let users: IdMap
    let items: IdMap
    let scale: RatingScale
    let globalMean: Double
    /// users × items
    let byUser: CSRMatrix
    /// items × users
    let byItem: CSRMatrix

    init(_ data: InteractionDataset, model: String) throws(RecError) {
        guard !data.isEmpty else { throw RecError.empty(what: "training data for \(model)") }
        users = data.users
        items = data.items
        scale = data.scale
        globalMean = data.meanValue
        byUser = data.userItemMatrix()
        byItem = byUser.transposed()
    }

    var userCount: Int { users.count }
    var itemCount: Int { items.count }

    /// Whether user `u` has training ratings.
    @inline(__always) func knows(user u: Int) -> Bool { u >= 0 && u < byUser.rowCount && byUser.rowLength(u) > 0 }
    /// Whether item `i` has training ratings.
    @inline(__always) func knows(item i: Int) -> Bool { i >= 0 && i < byItem.rowCount && byItem.rowLength(i) > 0 }

    /// The cold-start kind for (`u`, `i`), or nil when both are known.
    @inline(__always) func coldKind(_ u: Int, _ i: Int) -> Prediction.Kind? {
        let ku = knows(user: u), ki = knows(item: i)
        if ku && ki { return nil }
        return !ku && !ki ? .coldBoth : (!ku ? .coldUser : .coldItem)
    }

    @inline(__always) func clipped(_ v: Double, _ kind: Prediction.Kind) -> Prediction {
        Prediction(value: scale.clip(v.isFinite ? v : globalMean), kind: kind)
    }
}
