/// A replay of a data set as a stream, for measuring ``StreamingRecommender/partialFit(_:passes:)``.
///
/// Interactions are ordered by time; the first `initialFraction` are the initial training stream. Of the
/// rest, each user's interactions alternate between `newEvents` (streamed to the model) and `heldOut`
/// (to be recommended); ``recall(_:k:)`` is the mean recall@k over users with held-out items.
public struct StreamingStudy: Sendable {
    /// The initial stream.
    public let initial: [RawInteraction]
    /// Newly arriving interactions.
    public let newEvents: [RawInteraction]
    /// Held-out items per user.
    public let heldOut: [String: Set<String>]

    /// Builds the study from `data`; throws for an empty data set or a fraction outside (0, 1).
    public init(data: InteractionDataset, initialFraction: Double = 0.8) throws(RecError) {
        guard !data.isEmpty else { throw RecError.empty(what: "data set for the streaming study") }
        try require(initialFraction > 0 && initialFraction < 1, "initialFraction", initialFraction, "needs 0 < fraction < 1")
        let order = (0..<data.count).sorted { (data.timestamps[$0], $0) < (data.timestamps[$1], $1) }
        let cut = Int(Double(order.count) * initialFraction)
        func raw(_ r: Int) -> RawInteraction {
            RawInteraction(user: data.users[Int(data.userIndices[r])], item: data.items[Int(data.itemIndices[r])],
                           value: 1, timestamp: data.timestamps[r])
        }
        initial = order[..<cut].map(raw)
        var toggle: [Int32: Bool] = [:]
        var events: [RawInteraction] = [], held: [String: Set<String>] = [:]
        for r in order[cut...] {
            let u = data.userIndices[r]
            let stream = toggle[u, default: true]
            toggle[u] = !stream
            let x = raw(r)
            if stream { events.append(x) } else { held[x.user, default: []].insert(x.item) }
        }
        newEvents = events
        heldOut = held
    }

    /// Mean recall@k of the held-out items over their users.
    public func recall(_ model: StreamingRecommender, k: Int = 10) throws(RecError) -> Double {
        guard !heldOut.isEmpty else { throw RecError.empty(what: "held-out set") }
        var total = 0.0
        for (user, items) in heldOut {
            let recs = try model.recommend(userID: user, k: k)
            total += Double(recs.filter { items.contains($0.item) }.count) / Double(items.count)
        }
        return total / Double(heldOut.count)
    }
}
