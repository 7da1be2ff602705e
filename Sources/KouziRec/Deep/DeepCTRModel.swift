import KouziNN
import KouziTensor

/// Deep click-through-style rankers on KouziNN: Wide & Deep (Cheng et al. 2016) and DeepFM (Guo et al. 2017).
///
/// Every (user, item) pair is encoded as field slots (user id, item id, user feature tokens, item feature
/// tokens; see ``GrowableEmbedding``). With E the `[slots, d]` field embeddings and w the per-token
/// first-order weights:
/// - Wide & Deep: logit = Σ_s w_s + Σ_{s<t} w_{s×t} (wide crosses of user and item tokens) + MLP(concat E)
/// - DeepFM: logit = Σ_s w_s + ½ Σ_f ((Σ_s E_sf)² − Σ_s E_sf²) + MLP(concat E)
///
/// Trained with binary cross-entropy on observed pairs (label 1) and `negatives` sampled items (label 0)
/// per positive, Adam, mini-batches. New users and items get new embedding rows on first sight (the
/// tables grow), so ``scoreItems(user:into:)`` works for cold ids through their side features.
public final class DeepCTRModel: ItemRanker {
    /// The architecture.
    public enum Architecture: String, Sendable { case wideAndDeep, deepFM }

    /// The architecture.
    public let architecture: Architecture
    /// Embedding width d.
    public let embeddingSize: Int
    /// Hidden layer sizes of the MLP.
    public let hidden: [Int]
    /// Training epochs.
    public let epochs: Int
    /// Positives per mini-batch.
    public let batchSize: Int
    /// Sampled negatives per positive.
    public let negatives: Int
    /// Adam learning rate.
    public let learningRate: Float
    /// The random seed.
    public let seed: UInt64

    private var encoder: FieldEncoder
    private var context: ImplicitContext?
    private var embedding: GrowableEmbedding?
    private var firstOrder: GrowableEmbedding?
    private var crossWeights: GrowableEmbedding?
    private var crossVocabulary: [Int64: Int32] = [:]
    private var layers: [Dense] = []

    /// A deep ranker over optional side features (`userFeatures[u]`, `itemFeatures[i]` token lists).
    public init(_ architecture: Architecture, userFeatures: [[String]] = [], itemFeatures: [[String]] = [],
                userSlots: Int = 3, itemSlots: Int = 3, embeddingSize: Int = 16, hidden: [Int] = [64, 32],
                epochs: Int = 5, batchSize: Int = 256, negatives: Int = 2, learningRate: Float = 0.002, seed: UInt64 = 0) {
        self.architecture = architecture
        self.embeddingSize = embeddingSize
        self.hidden = hidden
        self.epochs = epochs
        self.batchSize = batchSize
        self.negatives = negatives
        self.learningRate = learningRate
        self.seed = seed
        encoder = FieldEncoder(userFeatures: userFeatures, itemFeatures: itemFeatures, userSlots: userSlots, itemSlots: itemSlots)
    }

    /// `"WideAndDeep"` or `"DeepFM"`.
    public var name: String { architecture == .wideAndDeep ? "WideAndDeep" : "DeepFM" }
    /// The training id maps.
    public var idMaps: (users: IdMap, items: IdMap) { (context?.users ?? IdMap(), context?.items ?? IdMap()) }
    /// The training interactions.
    public var seenItems: CSRMatrix { context?.byUser ?? .empty }

    private var parameters: [Parameter] {
        var p: [Parameter] = []
        for e in [embedding, firstOrder, crossWeights] { if let e { p += e.trainableParameters } }
        for l in layers { p += l.trainableParameters }
        return p
    }

    /// Wide crosses: (user token × item token) pairs of the slots, hashed into their own table.
    private func crossIDs(_ ids: [Int64], rows: Int, grow: Bool) -> [Int64] {
        let s = encoder.slotCount, uEnd = 2 + encoder.userSlots
        var out: [Int64] = []
        out.reserveCapacity(rows * 4)
        for r in 0..<rows {
            let b = r * s
            // user id × item feature tokens and user feature tokens × item id (4 crosses; 0 = padding)
            let pairs = [(ids[b], ids[b + uEnd]), (ids[b + 2], ids[b + 1]), (ids[b + 2], ids[b + uEnd]), (ids[b + 3], ids[b + uEnd])]
            for (a, c) in pairs {
                if a == 0 || c == 0 || encoder.userSlots < 2 || encoder.itemSlots < 1 { out.append(0); continue }
                let key = a &* 1_000_003 &+ c
                if let id = crossVocabulary[key] { out.append(Int64(id)) }
                else if grow { let id = Int32(crossVocabulary.count + 1); crossVocabulary[key] = id; out.append(Int64(id)) }
                else { out.append(0) }
            }
        }
        return out
    }

    /// Logits for a batch of encoded rows.
    private func logits(_ ids: [Int64], rows: Int, growCrosses: Bool) throws -> Tensor {
        guard let embedding, let firstOrder else { return Tensor.zeros([rows]) }
        let s = encoder.slotCount, d = embeddingSize
        let idTensor = Tensor(shape: [rows, s], values: ids)
        let e = try embedding(idTensor)                               // [B, S, d]
        var logit = try firstOrder(idTensor).sum(axes: [1, 2])         // [B]
        var h = e.reshaped([rows, s * d])
        for (k, layer) in layers.enumerated() { h = try layer(h); if k == layers.count - 1 { h = h.reshaped([rows]) } }
        logit = logit + h
        switch architecture {
        case .deepFM:
            let sum = e.sum(axis: 1)                                   // [B, d]
            let pairwise = (sum * sum - (e * e).sum(axis: 1)).sum(axis: 1) * 0.5
            logit = logit + pairwise
        case .wideAndDeep:
            if let crossWeights {
                let cross = crossIDs(ids, rows: rows, grow: growCrosses)
                crossWeights.grow(to: crossVocabulary.count + 1)
                logit = logit + (try crossWeights(Tensor(shape: [rows, 4], values: cross))).sum(axes: [1, 2])
            }
        }
        return logit
    }

    /// Trains on `data` (values read as events) with sampled negatives.
    public func fit(_ data: InteractionDataset) throws(RecError) {
        try require(embeddingSize >= 1, "embeddingSize", embeddingSize, "needs ≥ 1")
        try require(epochs >= 0 && batchSize >= 1 && negatives >= 1, "epochs/batchSize/negatives",
                    "\(epochs)/\(batchSize)/\(negatives)", "needs epochs ≥ 0, batchSize ≥ 1, negatives ≥ 1")
        let c = try ImplicitContext(data, model: name)
        context = c
        // Register every known token so the tables are sized once.
        var scratch = [Int64](repeating: 0, count: encoder.slotCount)
        for u in 0..<c.users.count { encoder.encode(user: u, userID: c.users[u], item: 0, itemID: c.items[0], grow: true, into: &scratch, at: 0) }
        for i in 0..<c.items.count { encoder.encode(user: 0, userID: c.users[0], item: i, itemID: c.items[i], grow: true, into: &scratch, at: 0) }
        do {
            embedding = try GrowableEmbedding(rows: encoder.size, width: embeddingSize, seed: seed)
            firstOrder = try GrowableEmbedding(rows: encoder.size, width: 1, seed: seed &+ 1)
            crossWeights = architecture == .wideAndDeep ? try GrowableEmbedding(rows: 1, width: 1, seed: seed &+ 2) : nil
        }
        layers = []
        var input = encoder.slotCount * embeddingSize
        for (k, units) in hidden.enumerated() {
            layers.append(Dense(units, activation: .relu, inputSize: input, seed: seed &+ UInt64(10 + k)))
            input = units
        }
        layers.append(Dense(1, inputSize: input, seed: seed &+ 99))
        let optimizer = Adam(learningRate: learningRate)
        let loss = Loss.binaryCrossentropy(fromLogits: true)
        var rng = RecRandom(seed: seed &+ 5)
        let R = c.byUser
        var positives: [(Int32, Int32)] = []
        for u in 0..<R.rowCount { for q in R.range(of: u) { positives.append((Int32(u), R.columns[q])) } }
        let perRow = 1 + negatives, s = encoder.slotCount
        for _ in 0..<epochs {
            rng.shuffle(&positives)
            var start = 0
            while start < positives.count {
                let batch = positives[start..<min(start + batchSize, positives.count)]
                start += batchSize
                let rows = batch.count * perRow
                var ids = [Int64](repeating: 0, count: rows * s)
                var labels = [Float](repeating: 0, count: rows)
                var r = 0
                for (u, i) in batch {
                    encoder.encode(user: Int(u), userID: c.users[Int(u)], item: Int(i), itemID: c.items[Int(i)], grow: false, into: &ids, at: r * s)
                    labels[r] = 1; r += 1
                    for _ in 0..<negatives {
                        let j = rng.index(below: c.items.count)
                        encoder.encode(user: Int(u), userID: c.users[Int(u)], item: j, itemID: c.items[j], grow: false, into: &ids, at: r * s)
                        labels[r] = R.value(row: Int(u), column: j) == nil ? 0 : 1; r += 1
                    }
                }
                do {
                    let out = try logits(ids, rows: rows, growCrosses: true)
                    let l = try loss(out, Tensor(shape: [rows], scalars: labels))
                    l.backward()
                    optimizer.step(parameters)
                    for p in parameters { p.zeroGrad() }
                } catch {
                    throw RecError.invalidParameter(name: "training batch", value: "\(rows) rows", reason: "\(error)")
                }
            }
        }
    }

    /// The logit of every item for a user (a cold user still has its side-feature tokens).
    public func scoreItems(user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        guard let c = context else { return }
        let n = min(scores.count, c.items.count), s = encoder.slotCount
        let userID = user < c.users.count ? c.users[user] : "<unknown>"
        var ids = [Int64](repeating: 0, count: n * s)
        for i in 0..<n { encoder.encode(user: user, userID: userID, item: i, itemID: c.items[i], grow: false, into: &ids, at: i * s) }
        guard let out = try? withLearningPhase(training: false, { try logits(ids, rows: n, growCrosses: false) }) else { return }
        out.withUnsafeFloats { for i in 0..<n { scores[i] = $0[i] } }
    }

    /// Registers new users or items (with their side-feature tokens) so their rows exist: the embedding
    /// tables grow and the model can score them before any retraining.
    public func register(userFeatures: [String] = [], itemFeatures: [String] = [], userID: String? = nil, itemID: String? = nil) {
        if let userID { _ = encoder.token("u:" + userID, grow: true) }
        if let itemID { _ = encoder.token("i:" + itemID, grow: true) }
        for t in userFeatures + itemFeatures { _ = encoder.token(t, grow: true) }
        embedding?.grow(to: encoder.size)
        firstOrder?.grow(to: encoder.size)
    }

    /// The current vocabulary size (rows of the embedding tables).
    public var vocabularySize: Int { embedding?.rows ?? encoder.size }
}
