/// Content-based recommendation: items are TF-IDF vectors over their title words and categorical
/// features (genres), a user's profile is the weighted sum of the vectors of items in their history,
/// and an item's score is the cosine of profile and item vector.
///
/// Profile weights: for explicit data, r_ui − r̄_u (+ a small positive floor so a one-rating user still has
/// a profile); for implicit data, 1. New items are scored from their features alone (``addItem(id:title:categories:)``),
/// which is the cold-start path for items; a user without history gets the popularity ranking.
public final class ContentBasedRecommender: ItemRanker {
    /// Side information aligned with the training data's item ids.
    public private(set) var features: ItemFeatures
    /// Whether title words are used.
    public let useTitles: Bool
    /// Whether categorical features (genres) are used.
    public let useCategories: Bool

    private var context: ImplicitContext?
    private var items = IdMap()
    private var vectorizer = TFIDFVectorizer(documents: [])
    private var itemVectors: [[(Int32, Float)]] = []
    private var explicit = false
    private var ratings = CSRMatrix.empty

    /// A content-based model over `features` (indexed like the data set's item ids).
    public init(features: ItemFeatures, useTitles: Bool = true, useCategories: Bool = true) {
        self.features = features
        self.useTitles = useTitles
        self.useCategories = useCategories
    }

    /// `"ContentTFIDF"`.
    public var name: String { "ContentTFIDF" }
    /// The training id maps (items include ones added later).
    public var idMaps: (users: IdMap, items: IdMap) { (context?.users ?? IdMap(), items) }
    /// The training interactions.
    public var seenItems: CSRMatrix { context?.byUser ?? .empty }

    private func tokens(title: String, categories: [Int]) -> [String] {
        var t: [String] = []
        if useTitles { t += TFIDFVectorizer.titleTokens(title) }
        if useCategories {
            for c in categories where c < features.featureNames.count { t.append("category:" + features.featureNames[c]) }
        }
        return t
    }

    /// Builds item vectors for every item with features (not only the ones with interactions).
    public func fit(_ data: InteractionDataset) throws(RecError) {
        guard features.count >= data.items.count else {
            throw RecError.sizeMismatch(what: "item features", expected: data.items.count, actual: features.count)
        }
        guard !data.isEmpty else { throw RecError.empty(what: "training data for \(name)") }
        items = data.items
        explicit = data.scale != .implicit
        let docs = (0..<items.count).map { tokens(title: features.titles[$0], categories: features.categories[$0]) }
        vectorizer = TFIDFVectorizer(documents: docs)
        itemVectors = docs.map { vectorizer.transform($0) }
        ratings = data.userItemMatrix()
        context = try ImplicitContext(explicit ? data.asImplicit() : data, model: name)
    }

    /// Adds a new (cold) item described only by its features; it is scored from now on without retraining.
    ///
    /// - Returns: the new item's index. Throws ``RecError/notFitted(model:)`` before `fit`.
    @discardableResult
    public func addItem(id: String, title: String, categories: [Int]) throws(RecError) -> Int {
        guard context != nil else { throw RecError.notFitted(model: name) }
        if let existing = items.index(of: id) { return existing }
        let index = items.add(id)
        features.titles.append(title); features.categories.append(categories); features.years.append(nil)
        itemVectors.append(vectorizer.transform(tokens(title: title, categories: categories)))
        return index
    }

    /// The profile of a user from (item index, weight) pairs, as a dense vector over the vocabulary.
    func profile(history: [(Int, Float)]) -> [Float] {
        var p = [Float](repeating: 0, count: vectorizer.idf.count)
        for (i, w) in history where i < itemVectors.count { for (c, v) in itemVectors[i] { p[Int(c)] += w * v } }
        var norm: Float = 0
        for v in p { norm += v * v }
        norm = norm.squareRoot()
        if norm > 0 { for k in p.indices { p[k] /= norm } }
        return p
    }

    /// The weighted history of a training user.
    func history(of u: Int) -> [(Int, Float)] {
        guard u < ratings.rowCount else { return [] }
        let range = ratings.range(of: u)
        guard !range.isEmpty else { return [] }
        var mean: Float = 0
        for q in range { mean += ratings.values[q] }
        mean /= Float(range.count)
        return range.map { q in (Int(ratings.columns[q]), explicit ? ratings.values[q] - mean + 0.1 : 1) }
    }

    /// Cosine of the user's profile with every item vector; popularity for a user without history.
    public func scoreItems(user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        guard let c = context else { return }
        let h = history(of: user)
        guard !h.isEmpty else { c.popularityScores(into: scores); return }
        scoreItems(profile: profile(history: h), into: scores)
    }

    /// Cosine of a profile with every item vector.
    func scoreItems(profile p: [Float], into scores: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<min(scores.count, itemVectors.count) {
            var s: Float = 0
            for (c, v) in itemVectors[i] { s += p[Int(c)] * v }
            scores[i] = s
        }
    }

    /// The `k` best items for a user described only by the outside ids of items they liked.
    ///
    /// - Throws: ``RecError/empty(what:)`` for an empty history, ``RecError/unknownItem(_:)`` when no
    ///   item is known.
    public func recommend(likedItems: [String], k: Int = 10) throws(RecError) -> [Recommendation] {
        guard context != nil else { throw RecError.notFitted(model: name) }
        guard !likedItems.isEmpty else { throw RecError.empty(what: "history") }
        try require(k >= 1, "k", k, "needs ≥ 1")
        let known = likedItems.compactMap { items.index(of: $0) }
        guard !known.isEmpty else { throw RecError.unknownItem(likedItems[0]) }
        var scores = [Float](repeating: 0, count: itemVectors.count)
        let p = profile(history: known.map { ($0, 1) })
        scores.withUnsafeMutableBufferPointer { scoreItems(profile: p, into: $0) }
        for i in known { scores[i] = -.infinity }
        return topK(scores, k).map { Recommendation(item: items[$0], index: $0, score: scores[$0]) }
    }
}
