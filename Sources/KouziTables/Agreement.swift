import KouziBase
import KouziData

/// Agreement between annotators who labelled the same items: majority labels, pairwise percent
/// agreement, Cohen's kappa (two annotators) and Krippendorff's alpha for nominal data (any number of
/// annotators, missing annotations allowed).
///
/// ```swift
/// let agreement = Agreement(annotations: ["img1": ["ann": "cat", "bob": "cat"],
///                                         "img2": ["ann": "dog", "bob": "cat"]])
/// agreement.percentAgreement     // 0.5
/// agreement.cohenKappa           // 0.0
/// agreement.items[1].tied        // true: "cat" chosen, tied with "dog"
/// ```
///
/// - Complexity: O(annotations + labels²).
public struct Agreement: Sendable, Codable, Equatable {
    /// The consensus on one item.
    public struct Item: Sendable, Codable, Equatable {
        /// The item ID.
        public var item: String
        /// The most frequent label (ties: the first in label order — numeric when all labels are
        /// numbers, by text otherwise); nil when the item has no annotation.
        public var majority: String?
        /// How many annotators gave ``majority``.
        public var votes: Int
        /// How many annotators labelled the item.
        public var annotations: Int
        /// Whether several labels had the top count.
        public var tied: Bool
        /// The labels sharing the top count when ``tied`` (in label order), else empty.
        public var tiedLabels: [String]

        /// Creates an item summary.
        public init(item: String, majority: String?, votes: Int, annotations: Int, tied: Bool, tiedLabels: [String]) {
            self.item = item
            self.majority = majority
            self.votes = votes
            self.annotations = annotations
            self.tied = tied
            self.tiedLabels = tiedLabels
        }
    }

    /// One entry per item, in item order (numeric when all IDs are numbers, by text otherwise).
    public var items: [Item]
    /// The annotator IDs, sorted.
    public var annotators: [String]
    /// The distinct labels, in label order.
    public var labels: [String]
    /// The mean over items with at least two annotations of the share of annotator pairs that agree;
    /// nil when no item has two annotations.
    public var percentAgreement: Double?
    /// Cohen's kappa over the items both annotators labelled, when there are exactly two annotators;
    /// nil otherwise, or when chance agreement is 1 (both always gave the same single label).
    public var cohenKappa: Double?
    /// Krippendorff's alpha for nominal data; nil when fewer than two pairable values exist or only one
    /// label was ever used (no expected disagreement).
    public var krippendorffAlpha: Double?

    /// Computes agreement from `annotations[item][annotator] = label`.
    public init(annotations: [String: [String: String]]) {
        let itemIDs = ValueOrder.sorted(Array(annotations.keys))
        annotators = Set(annotations.values.flatMap(\.keys)).sorted()
        labels = ValueOrder.sorted(Array(Set(annotations.values.flatMap(\.values))))
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let k = labels.count

        items = []
        var pairShares: [Double] = []
        // Krippendorff's coincidence matrix: each ordered pair of values in a unit with m values adds 1/(m−1).
        var coincidences = [Double](repeating: 0, count: k * k)
        for id in itemIDs {
            let given = annotations[id]!
            var counts = [Int](repeating: 0, count: k)
            for label in given.values { counts[labelIndex[label]!] += 1 }
            let m = given.count
            let top = counts.max() ?? 0
            let leaders = counts.indices.filter { counts[$0] == top && top > 0 }.map { labels[$0] }
            items.append(Item(item: id, majority: leaders.first, votes: top, annotations: m, tied: leaders.count > 1,
                              tiedLabels: leaders.count > 1 ? leaders : []))
            guard m >= 2 else { continue }
            let agreeingPairs = counts.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
            pairShares.append(Double(agreeingPairs) / Double(m * (m - 1) / 2))
            for c in 0..<k where counts[c] > 0 {
                for d in 0..<k where counts[d] > 0 {
                    let pairs = c == d ? counts[c] * (counts[c] - 1) : counts[c] * counts[d]
                    coincidences[c * k + d] += Double(pairs) / Double(m - 1)
                }
            }
        }
        percentAgreement = pairShares.isEmpty ? nil : pairShares.reduce(0, +) / Double(pairShares.count)
        krippendorffAlpha = Self.nominalAlpha(coincidences, k)
        cohenKappa = annotators.count == 2
            ? Self.kappa(annotations, first: annotators[0], second: annotators[1], labelIndex: labelIndex)
            : nil
    }

    /// `1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k` from the coincidence matrix `o`.
    static func nominalAlpha(_ o: [Double], _ k: Int) -> Double? {
        var marginals = [Double](repeating: 0, count: k)
        var observed = 0.0
        for c in 0..<k {
            for d in 0..<k {
                marginals[c] += o[c * k + d]
                if c != d { observed += o[c * k + d] }
            }
        }
        let n = marginals.reduce(0, +)
        var expected = 0.0
        for c in 0..<k { for d in 0..<k where c != d { expected += marginals[c] * marginals[d] } }
        guard n > 1, expected > 0 else { return nil }
        return 1 - (n - 1) * observed / expected
    }

    /// Cohen's kappa `(p_o − p_e) / (1 − p_e)` over the items both annotators labelled.
    static func kappa(_ annotations: [String: [String: String]], first: String, second: String,
                      labelIndex: [String: Int]) -> Double? {
        let k = labelIndex.count
        var firstCounts = [Int](repeating: 0, count: k), secondCounts = [Int](repeating: 0, count: k)
        var agreeing = 0, shared = 0
        for given in annotations.values {
            guard let a = given[first], let b = given[second] else { continue }
            shared += 1
            if a == b { agreeing += 1 }
            firstCounts[labelIndex[a]!] += 1
            secondCounts[labelIndex[b]!] += 1
        }
        guard shared > 0 else { return nil }
        let n = Double(shared)
        let observed = Double(agreeing) / n
        let chance = zip(firstCounts, secondCounts).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / (n * n)
        guard chance < 1 else { return nil }
        return (observed - chance) / (1 - chance)
    }
}
