/// A weighted hybrid: the sum of its components' per-user standardised scores, each times its weight.
///
/// For user u and component m with scores s_m over the items, the hybrid score is
/// Σ_m w_m (s_m − mean(s_m)) / std(s_m), so components on different scales mix fairly.
public final class WeightedHybrid: ItemRanker {
    /// The components and their weights.
    public let components: [(model: any ItemRanker, weight: Float)]
    private var scratch: [Float] = []

    /// A hybrid of `components`; throws unless there is at least one and all weights are finite.
    public init(_ components: [(model: any ItemRanker, weight: Float)]) throws(RecError) {
        guard !components.isEmpty else { throw RecError.empty(what: "list of hybrid components") }
        for c in components { try require(c.weight.isFinite, "weight", c.weight, "needs a finite number") }
        self.components = components
    }

    /// `"Weighted(A+B)"`.
    public var name: String { "Weighted(" + components.map(\.model.name).joined(separator: "+") + ")" }
    /// The first component's id maps.
    public var idMaps: (users: IdMap, items: IdMap) { components[0].model.idMaps }
    /// The first component's training interactions.
    public var seenItems: CSRMatrix { components[0].model.seenItems }

    /// Fits every component on `data`.
    public func fit(_ data: InteractionDataset) throws(RecError) { for c in components { try c.model.fit(data) } }

    /// The weighted sum of standardised component scores.
    public func scoreItems(user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        let n = scores.count
        if scratch.count != n { scratch = [Float](repeating: 0, count: n) }
        for k in 0..<n { scores[k] = 0 }
        for c in components {
            scratch.withUnsafeMutableBufferPointer { buf in
                c.model.scoreItems(user: user, into: buf)
                var mean: Float = 0, sq: Float = 0
                for k in 0..<n { mean += buf[k] }
                mean /= Float(max(n, 1))
                for k in 0..<n { sq += (buf[k] - mean) * (buf[k] - mean) }
                let std = (sq / Float(max(n, 1))).squareRoot()
                let scale = std > 0 ? c.weight / std : 0
                for k in 0..<n { scores[k] += scale * (buf[k] - mean) }
            }
        }
    }
}

/// A switching hybrid: users with at least `minimumHistory` training interactions are served by
/// `primary`, all others (including unknown users) by `fallback`.
public final class SwitchingHybrid: ItemRanker {
    /// The model for users with enough history.
    public let primary: any ItemRanker
    /// The model for new or sparse users.
    public let fallback: any ItemRanker
    /// The history length from which `primary` is used.
    public let minimumHistory: Int

    /// A switching hybrid; throws unless `minimumHistory ≥ 0`.
    public init(primary: any ItemRanker, fallback: any ItemRanker, minimumHistory: Int = 5) throws(RecError) {
        try require(minimumHistory >= 0, "minimumHistory", minimumHistory, "needs ≥ 0")
        self.primary = primary
        self.fallback = fallback
        self.minimumHistory = minimumHistory
    }

    /// `"Switching(A|B)"`.
    public var name: String { "Switching(\(primary.name)|\(fallback.name))" }
    /// The primary model's id maps.
    public var idMaps: (users: IdMap, items: IdMap) { primary.idMaps }
    /// The primary model's training interactions.
    public var seenItems: CSRMatrix { primary.seenItems }

    /// Fits both models.
    public func fit(_ data: InteractionDataset) throws(RecError) { try primary.fit(data); try fallback.fit(data) }

    /// The primary's scores for users with enough history, otherwise the fallback's.
    public func scoreItems(user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        let seen = primary.seenItems
        let history = user < seen.rowCount ? seen.rowLength(user) : 0
        (history >= minimumHistory ? primary : fallback).scoreItems(user: user, into: scores)
    }
}
