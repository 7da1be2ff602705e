@testable import KouziRec

/// Small synthetic rating data with two taste groups: users `u0…` in group u % 2 rate items of their
/// own group (i % 2 == u % 2) 4–5 and the others 1–2; about `density` of pairs are observed.
func syntheticRatings(users: Int = 40, items: Int = 30, density: Double = 0.5, seed: UInt64 = 1) -> InteractionDataset {
    var rng = RecRandom(seed: seed)
    var rows: [RawInteraction] = []
    var t: Int64 = 0
    for u in 0..<users {
        for i in 0..<items where Double(rng.unit()) < density {
            let liked = (u % 2) == (i % 2)
            let value = liked ? (rng.unit() < 0.5 ? 4.0 : 5.0) : (rng.unit() < 0.5 ? 1.0 : 2.0)
            t += 1
            rows.append(RawInteraction(user: "u\(u)", item: "i\(i)", value: value, timestamp: t))
        }
    }
    return try! InteractionDataset(interactions: rows, scale: .fiveStar)
}

/// Implicit events: users interact only with items of their group (i % 2 == u % 2), popular low indices
/// more often.
func syntheticEvents(users: Int = 60, items: Int = 40, perUser: Int = 10, seed: UInt64 = 2) -> InteractionDataset {
    var rng = RecRandom(seed: seed)
    var rows: [RawInteraction] = []
    var t: Int64 = 0
    for u in 0..<users {
        var chosen = Set<Int>()
        while chosen.count < perUser {
            let half = items / 2
            let k = min(rng.index(below: half), rng.index(below: half))   // skewed to low indices
            chosen.insert(2 * k + (u % 2))
        }
        for i in chosen.sorted() {
            t += 1
            rows.append(RawInteraction(user: "u\(u)", item: "i\(i)", value: 1, timestamp: t))
        }
    }
    return try! InteractionDataset(interactions: rows, scale: .implicit)
}
