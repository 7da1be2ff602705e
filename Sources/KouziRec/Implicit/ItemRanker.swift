/// A model that ranks items for a user (top-N recommendation from implicit or explicit feedback).
///
/// Scores are comparable within one user only. A user without training interactions takes the model's
/// cold-start path (usually popularity), never a trap.
public protocol ItemRanker: AnyObject {
    /// A short name for reports.
    var name: String { get }
    /// Fits the model; explicit values are read as event strengths.
    func fit(_ data: InteractionDataset) throws(RecError)
    /// Writes a score for every item index (`scores.count` = the training item count) for user index `user`;
    /// an index outside the training users is treated as cold.
    func scoreItems(user: Int, into scores: UnsafeMutableBufferPointer<Float>)
    /// The training id maps (empty before `fit`).
    var idMaps: (users: IdMap, items: IdMap) { get }
    /// The items each user interacted with in training (users × items CSR), excluded from recommendations.
    var seenItems: CSRMatrix { get }
}

/// One recommended item.
public struct Recommendation: Sendable, Equatable {
    /// The outside item id.
    public let item: String
    /// The item index.
    public let index: Int
    /// The model's score.
    public let score: Float
}

extension ItemRanker {
    /// The `k` best items for outside user id `userID` that the user has not seen; an unknown user gets the
    /// cold-start ranking.
    ///
    /// - Throws: ``RecError/notFitted(model:)`` before `fit`, ``RecError/invalidParameter`` for `k < 1`.
    public func recommend(userID: String, k: Int = 10) throws(RecError) -> [Recommendation] {
        let maps = idMaps
        guard maps.items.count > 0 else { throw RecError.notFitted(model: name) }
        try require(k >= 1, "k", k, "needs ≥ 1")
        let u = maps.users.index(of: userID) ?? Int.max
        var scores = [Float](repeating: 0, count: maps.items.count)
        scores.withUnsafeMutableBufferPointer { scoreItems(user: u, into: $0) }
        let seen = seenItems
        if u < seen.rowCount { for q in seen.range(of: u) { scores[Int(seen.columns[q])] = -.infinity } }
        return topK(scores, k).map { Recommendation(item: maps.items[$0], index: $0, score: scores[$0]) }
    }
}

/// The indices of the `k` largest finite scores, best first (ties by lower index).
func topK(_ scores: [Float], _ k: Int) -> [Int] {
    var heapIdx: [Int] = []
    heapIdx.reserveCapacity(k + 1)
    // Keep a sorted (descending) list of at most k; fine for the small k of top-N lists.
    for (i, s) in scores.enumerated() where s > -.infinity {
        if heapIdx.count == k, let last = heapIdx.last, scores[last] >= s { continue }
        var pos = heapIdx.count
        heapIdx.append(i)
        while pos > 0 && scores[heapIdx[pos - 1]] < s { heapIdx[pos] = heapIdx[pos - 1]; pos -= 1 }
        heapIdx[pos] = i
        if heapIdx.count > k { heapIdx.removeLast() }
    }
    return heapIdx
}

/// Training state shared by the ranking models.
struct ImplicitContext {
    let users: IdMap
    let items: IdMap
    /// users × items, values = event strengths (duplicates summed)
    let byUser: CSRMatrix
    /// items × users
    let byItem: CSRMatrix
    /// Interaction count per item.
    let popularity: [Float]

    init(_ data: InteractionDataset, model: String) throws(RecError) {
        guard !data.isEmpty else { throw RecError.empty(what: "training data for \(model)") }
        for v in data.values where v < 0 {
            throw RecError.invalidParameter(name: "event strength", value: "\(v)", reason: "\(model) needs values ≥ 0")
        }
        users = data.users
        items = data.items
        byUser = data.userItemMatrix().mergingDuplicates()
        let transposed = byUser.transposed()
        byItem = transposed
        popularity = (0..<transposed.rowCount).map { Float(transposed.rowLength($0)) }
    }

    @inline(__always) func knows(user u: Int) -> Bool { u >= 0 && u < byUser.rowCount && byUser.rowLength(u) > 0 }

    /// Writes normalised popularity (the cold-user fallback of every ranker).
    func popularityScores(into scores: UnsafeMutableBufferPointer<Float>) {
        let top = max(popularity.max() ?? 1, 1)
        for i in 0..<min(scores.count, popularity.count) { scores[i] = popularity[i] / top }
    }
}

extension CSRMatrix {
    /// The same matrix with repeated (row, column) entries summed into one.
    func mergingDuplicates() -> CSRMatrix {
        var rows: [Int32] = [], cols: [Int32] = [], vals: [Float] = []
        rows.reserveCapacity(nonZeroCount); cols.reserveCapacity(nonZeroCount); vals.reserveCapacity(nonZeroCount)
        for r in 0..<rowCount {
            for q in range(of: r) {
                if let last = cols.last, rows.last == Int32(r), last == columns[q] { vals[vals.count - 1] += values[q]; continue }
                rows.append(Int32(r)); cols.append(columns[q]); vals.append(values[q])
            }
        }
        return CSRMatrix(rowCount: rowCount, columnCount: columnCount, rows: rows, columns: cols, values: vals)
    }
}

/// The popularity baseline: every user gets the items with most training interactions.
public final class PopularityRanker: ItemRanker {
    private var context: ImplicitContext?

    /// A popularity ranker.
    public init() {}

    /// `"Popularity"`.
    public var name: String { "Popularity" }
    /// The training id maps.
    public var idMaps: (users: IdMap, items: IdMap) { (context?.users ?? IdMap(), context?.items ?? IdMap()) }
    /// The training interactions.
    public var seenItems: CSRMatrix { context?.byUser ?? .empty }

    /// Counts interactions per item.
    public func fit(_ data: InteractionDataset) throws(RecError) { context = try ImplicitContext(data, model: name) }

    /// The item's share of the largest interaction count, for every user.
    public func scoreItems(user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        context?.popularityScores(into: scores)
    }
}

extension CSRMatrix {
    /// A 0 × 0 matrix.
    static let empty = CSRMatrix(rowCount: 0, columnCount: 0, rows: [], columns: [], values: [])
}
