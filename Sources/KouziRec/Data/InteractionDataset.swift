/// One interaction given by outside ids: an explicit rating or an implicit event with its strength.
public struct RawInteraction: Sendable, Equatable {
    /// The outside user id.
    public var user: String
    /// The outside item id.
    public var item: String
    /// The rating (explicit) or event strength (implicit, usually 1).
    public var value: Double
    /// Seconds since the epoch (or any increasing clock); used by temporal splits.
    public var timestamp: Int64

    /// An interaction of `user` with `item`.
    public init(user: String, item: String, value: Double = 1, timestamp: Int64 = 0) {
        self.user = user
        self.item = item
        self.value = value
        self.timestamp = timestamp
    }
}

/// A table of user–item interactions, stored column-wise with dense indices, plus the id maps.
///
/// Explicit data (ratings on a ``RatingScale``) and implicit data (events, `scale == .implicit`) share
/// this type. Splits keep the id maps of the whole data set, so indices agree between train and test;
/// a user or item with no row in a training split is *cold* for a model fitted on it.
///
/// ```swift
/// let data = try InteractionDataset(interactions: [RawInteraction(user: "a", item: "x", value: 4)],
///                                   scale: .fiveStar)
/// let matrix = data.userItemMatrix()   // CSR, users × items
/// ```
public struct InteractionDataset: Sendable {
    /// Outside user ids ↔ indices.
    public var users: IdMap
    /// Outside item ids ↔ indices.
    public var items: IdMap
    /// The user index of each interaction.
    public var userIndices: [Int32]
    /// The item index of each interaction.
    public var itemIndices: [Int32]
    /// The rating or event strength of each interaction.
    public var values: [Float]
    /// The timestamp of each interaction.
    public var timestamps: [Int64]
    /// The scale ratings were validated against.
    public let scale: RatingScale

    /// The number of interactions.
    public var count: Int { values.count }
    /// Whether there are no interactions.
    public var isEmpty: Bool { values.isEmpty }

    /// Validates and indexes `interactions`.
    ///
    /// - Throws: ``RecError/ratingOutOfScale(rating:lower:upper:user:item:)`` for a value outside `scale`,
    ///   ``RecError/nonFiniteValue(user:item:)`` for NaN or infinity.
    public init(interactions: [RawInteraction], scale: RatingScale) throws(RecError) {
        self.scale = scale
        users = IdMap()
        items = IdMap()
        userIndices = []; itemIndices = []; values = []; timestamps = []
        userIndices.reserveCapacity(interactions.count)
        itemIndices.reserveCapacity(interactions.count)
        values.reserveCapacity(interactions.count)
        timestamps.reserveCapacity(interactions.count)
        for x in interactions { try append(x) }
    }

    /// An empty data set that shares `users` and `items` (used to build splits and streams).
    public init(users: IdMap, items: IdMap, scale: RatingScale) {
        self.users = users
        self.items = items
        self.scale = scale
        userIndices = []; itemIndices = []; values = []; timestamps = []
    }

    /// Appends one interaction, registering new ids. Throws for a value outside the scale or not finite.
    public mutating func append(_ x: RawInteraction) throws(RecError) {
        guard x.value.isFinite else { throw RecError.nonFiniteValue(user: x.user, item: x.item) }
        guard scale.contains(x.value) else {
            throw RecError.ratingOutOfScale(rating: x.value, lower: scale.lower, upper: scale.upper,
                                            user: x.user, item: x.item)
        }
        userIndices.append(Int32(users.add(x.user)))
        itemIndices.append(Int32(items.add(x.item)))
        values.append(Float(x.value))
        timestamps.append(x.timestamp)
    }

    /// Appends an interaction by indices that already exist in the maps (no validation beyond bounds).
    mutating func appendIndexed(user: Int32, item: Int32, value: Float, timestamp: Int64) {
        userIndices.append(user); itemIndices.append(item); values.append(value); timestamps.append(timestamp)
    }

    /// The interactions at `rows`, with the same id maps.
    public func subset(_ rows: [Int]) -> InteractionDataset {
        var out = InteractionDataset(users: users, items: items, scale: scale)
        out.userIndices.reserveCapacity(rows.count)
        out.itemIndices.reserveCapacity(rows.count)
        out.values.reserveCapacity(rows.count)
        out.timestamps.reserveCapacity(rows.count)
        for r in rows { out.appendIndexed(user: userIndices[r], item: itemIndices[r], value: values[r], timestamp: timestamps[r]) }
        return out
    }

    /// The interactions as a users × items CSR matrix of values.
    public func userItemMatrix() -> CSRMatrix {
        CSRMatrix(rowCount: users.count, columnCount: items.count, rows: userIndices, columns: itemIndices, values: values)
    }

    /// The interactions as an items × users CSR matrix of values.
    public func itemUserMatrix() -> CSRMatrix {
        CSRMatrix(rowCount: items.count, columnCount: users.count, rows: itemIndices, columns: userIndices, values: values)
    }

    /// The mean of all values (0 when empty).
    public var meanValue: Double {
        guard !values.isEmpty else { return 0 }
        var s = 0.0
        for v in values { s += Double(v) }
        return s / Double(values.count)
    }

    /// A copy in which every value is 1 (explicit ratings read as implicit events), optionally keeping
    /// only ratings ≥ `threshold`.
    public func asImplicit(threshold: Float = -Float.infinity) -> InteractionDataset {
        var out = InteractionDataset(users: users, items: items, scale: .implicit)
        for r in 0..<count where values[r] >= threshold {
            out.appendIndexed(user: userIndices[r], item: itemIndices[r], value: 1, timestamp: timestamps[r])
        }
        return out
    }
}
