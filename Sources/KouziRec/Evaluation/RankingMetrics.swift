/// Top-k ranking metrics, averaged over the test users (users with at least one held-out item).
///
/// For one user let Rel be the held-out items, L = (l₁ … l_k) the model's top-k list over the candidate
/// items (every item the user did not interact with in training), rel(j) = 1 when l_j ∈ Rel:
/// - precision@k = |L ∩ Rel| / k
/// - recall@k = |L ∩ Rel| / |Rel|
/// - NDCG@k = DCG / IDCG, DCG = Σ_j rel(j) / log₂(j + 1), IDCG = Σ_{j=1}^{min(|Rel|, k)} 1 / log₂(j + 1)
/// - MAP@k: AP@k = (1 / min(|Rel|, k)) Σ_j rel(j) · precision@j
/// - hit rate@k = 1 when |L ∩ Rel| > 0
/// - MRR = 1 / (rank of the best-ranked held-out item in the full candidate ranking)
/// - AUC = the share of (held-out, non-interacted) item pairs the model orders correctly (ties count ½)
/// - coverage@k = |∪_users L| / (number of items): the share of the catalogue that is ever recommended
public struct RankingReport: Sendable, Equatable, CustomStringConvertible {
    /// The list length k.
    public var k: Int
    /// Mean precision@k.
    public var precision: Double
    /// Mean recall@k.
    public var recall: Double
    /// Mean NDCG@k.
    public var ndcg: Double
    /// Mean AP@k (MAP@k).
    public var map: Double
    /// Share of users with a hit in the top k.
    public var hitRate: Double
    /// Mean reciprocal rank.
    public var mrr: Double
    /// Mean per-user AUC.
    public var auc: Double
    /// Catalogue coverage of the top-k lists.
    public var coverage: Double
    /// The number of users evaluated.
    public var users: Int

    /// A one-line summary.
    public var description: String {
        func f(_ x: Double) -> String { String(Double(Int((x * 10000).rounded())) / 10000) }
        return "P@\(k) \(f(precision)) R@\(k) \(f(recall)) NDCG@\(k) \(f(ndcg)) MAP@\(k) \(f(map)) HR@\(k) \(f(hitRate)) MRR \(f(mrr)) AUC \(f(auc)) coverage \(f(coverage)) (\(users) users)"
    }
}

/// Computes ``RankingReport``s.
public enum RankingEvaluator {
    /// Evaluates `model` (fitted on `train`) on the held-out `test` interactions.
    ///
    /// - Parameter scorer: optional override of the scores (for folded-in or hybrid users); defaults to
    ///   the model's own `scoreItems`.
    /// - Throws: ``RecError/empty(what:)`` when `test` has no user, ``RecError/invalidParameter`` for k < 1.
    public static func evaluate(_ model: any ItemRanker, train: InteractionDataset, test: InteractionDataset,
                                k: Int = 10, users: Set<Int>? = nil) throws(RecError) -> RankingReport {
        try evaluate(itemCount: train.items.count, train: train, test: test, k: k, users: users) { u, scores in
            model.scoreItems(user: u, into: scores)
        }
    }

    /// Evaluates an arbitrary scoring function `score(user, scores)` over `itemCount` items.
    public static func evaluate(itemCount: Int, train: InteractionDataset, test: InteractionDataset, k: Int = 10,
                                users: Set<Int>? = nil,
                                score: (Int, UnsafeMutableBufferPointer<Float>) -> Void) throws(RecError) -> RankingReport {
        try require(k >= 1, "k", k, "needs ≥ 1")
        let seen = train.userItemMatrix()
        let held = test.userItemMatrix()
        var report = RankingReport(k: k, precision: 0, recall: 0, ndcg: 0, map: 0, hitRate: 0, mrr: 0, auc: 0, coverage: 0, users: 0)
        var scores = [Float](repeating: 0, count: itemCount)
        var recommended = [Bool](repeating: false, count: itemCount)
        var isRelevant = [Bool](repeating: false, count: itemCount)
        var order: [Int] = []
        for u in 0..<held.rowCount where held.rowLength(u) > 0 {
            if let users, !users.contains(u) { continue }
            scores.withUnsafeMutableBufferPointer { score(u, $0) }
            if u < seen.rowCount { for q in seen.range(of: u) where Int(seen.columns[q]) < itemCount { scores[Int(seen.columns[q])] = -.infinity } }
            var rel: [Int] = []
            for q in held.range(of: u) {
                let i = Int(held.columns[q])
                if i < itemCount && scores[i] > -.infinity && !isRelevant[i] { isRelevant[i] = true; rel.append(i) }
            }
            if rel.isEmpty { continue }
            // Full ranking of the candidates.
            order.removeAll(keepingCapacity: true)
            for i in 0..<itemCount where scores[i] > -.infinity { order.append(i) }
            order.sort { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
            var hits = 0, dcg = 0.0, ap = 0.0, firstRank = 0
            for (pos, i) in order.enumerated() where isRelevant[i] {
                if firstRank == 0 { firstRank = pos + 1 }
                if pos < k {
                    hits += 1
                    dcg += 1 / _log2(Double(pos + 2))
                    ap += Double(hits) / Double(pos + 1)
                }
            }
            for i in order.prefix(k) { recommended[i] = true }
            var idcg = 0.0
            for j in 0..<min(rel.count, k) { idcg += 1 / _log2(Double(j + 2)) }
            // AUC: walk the ranking; each relevant item beats the negatives ranked after it.
            let negatives = order.count - rel.count
            var auc = 0.5
            if negatives > 0 {
                var negativesAbove = 0.0, correct = 0.0
                var p = 0
                while p < order.count {
                    var q = p
                    var relInGroup = 0, negInGroup = 0
                    while q < order.count && scores[order[q]] == scores[order[p]] {
                        if isRelevant[order[q]] { relInGroup += 1 } else { negInGroup += 1 }
                        q += 1
                    }
                    correct += Double(relInGroup) * (Double(negatives) - negativesAbove - Double(negInGroup) / 2)
                    negativesAbove += Double(negInGroup)
                    p = q
                }
                auc = correct / (Double(rel.count) * Double(negatives))
            }
            report.precision += Double(hits) / Double(k)
            report.recall += Double(hits) / Double(rel.count)
            report.ndcg += dcg / idcg
            report.map += ap / Double(min(rel.count, k))
            report.hitRate += hits > 0 ? 1 : 0
            report.mrr += firstRank > 0 ? 1 / Double(firstRank) : 0
            report.auc += auc
            report.users += 1
            for i in rel { isRelevant[i] = false }
        }
        guard report.users > 0 else { throw RecError.empty(what: "set of test users with held-out items") }
        let n = Double(report.users)
        report.precision /= n; report.recall /= n; report.ndcg /= n; report.map /= n
        report.hitRate /= n; report.mrr /= n; report.auc /= n
        report.coverage = Double(recommended.filter { $0 }.count) / Double(max(itemCount, 1))
        return report
    }
}
