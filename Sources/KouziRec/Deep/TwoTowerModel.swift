import KouziNN
import KouziTensor

/// A two-tower retrieval model (Yi et al. 2019, YouTube) trained with in-batch softmax.
///
/// The user tower embeds the user's id and feature tokens (summed, see ``GrowableEmbedding``) and maps them
/// through an MLP to a d-vector u; the item tower does the same for items, giving v. For a batch of B
/// observed pairs the loss is the softmax cross-entropy of each user against the B items of the batch:
/// L = −(1/B) Σ_k log( exp(u_k·v_k / τ) / Σ_l exp(u_k·v_l / τ) ), the other positives serving as negatives.
/// Item vectors are cached after training, so scoring a user is one matrix–vector product; cold users and
/// items are embedded from their side features.
///
/// In-batch negatives are sampled in proportion to popularity, which punishes popular items; with
/// `logQCorrection` (default on) each logit u_k·v_l/τ is reduced by log q_l, q_l the item's share of the
/// training pairs (the sampling-bias correction of Yi et al. 2019), so the softmax estimates the full one.
public final class TwoTowerModel: ItemRanker {
    /// Output vector size d.
    public let outputSize: Int
    /// Token embedding width.
    public let embeddingSize: Int
    /// Training epochs.
    public let epochs: Int
    /// Pairs per batch (= in-batch negatives + 1).
    public let batchSize: Int
    /// Softmax temperature τ.
    public let temperature: Float
    /// Adam learning rate.
    public let learningRate: Float
    /// The random seed.
    public let seed: UInt64
    /// Whether logits are corrected by the log of each item's in-batch sampling probability.
    public let logQCorrection: Bool

    private var encoder: FieldEncoder
    private var context: ImplicitContext?
    private var tokens: GrowableEmbedding?
    private var userLayers: [Dense] = []
    private var itemLayers: [Dense] = []
    private var itemVectors: [Float] = []

    /// A two-tower model over optional side features.
    public init(userFeatures: [[String]] = [], itemFeatures: [[String]] = [], userSlots: Int = 3, itemSlots: Int = 3,
                embeddingSize: Int = 32, outputSize: Int = 32, epochs: Int = 10, batchSize: Int = 256,
                temperature: Float = 0.1, learningRate: Float = 0.003, logQCorrection: Bool = true, seed: UInt64 = 0) {
        self.logQCorrection = logQCorrection
        self.embeddingSize = embeddingSize
        self.outputSize = outputSize
        self.epochs = epochs
        self.batchSize = batchSize
        self.temperature = temperature
        self.learningRate = learningRate
        self.seed = seed
        encoder = FieldEncoder(userFeatures: userFeatures, itemFeatures: itemFeatures, userSlots: userSlots, itemSlots: itemSlots)
    }

    /// `"TwoTower"`.
    public var name: String { "TwoTower" }
    /// The training id maps.
    public var idMaps: (users: IdMap, items: IdMap) { (context?.users ?? IdMap(), context?.items ?? IdMap()) }
    /// The training interactions.
    public var seenItems: CSRMatrix { context?.byUser ?? .empty }

    private var parameters: [Parameter] {
        (tokens?.trainableParameters ?? []) + userLayers.flatMap(\.trainableParameters) + itemLayers.flatMap(\.trainableParameters)
    }

    /// Slots of one side: [id token, feature tokens…].
    private func sideIDs(users: [Int]?, items: [Int]?, grow: Bool) -> (ids: [Int64], width: Int) {
        guard let c = context else { return ([], 1) }
        var all = [Int64](repeating: 0, count: encoder.slotCount)
        if let users {
            let w = 1 + encoder.userSlots
            var out = [Int64](repeating: 0, count: users.count * w)
            for (r, u) in users.enumerated() {
                encoder.encode(user: u, userID: u < c.users.count ? c.users[u] : "<unknown>", item: Int.max, itemID: "", grow: grow, into: &all, at: 0)
                out[r * w] = all[0]
                for s in 0..<encoder.userSlots { out[r * w + 1 + s] = all[2 + s] }
            }
            return (out, w)
        }
        let list = items ?? []
        let w = 1 + encoder.itemSlots
        var out = [Int64](repeating: 0, count: list.count * w)
        for (r, i) in list.enumerated() {
            encoder.encode(user: Int.max, userID: "", item: i, itemID: c.items[i], grow: grow, into: &all, at: 0)
            out[r * w] = all[1]
            for s in 0..<encoder.itemSlots { out[r * w + 1 + s] = all[2 + encoder.userSlots + s] }
        }
        return (out, w)
    }

    private func tower(_ ids: [Int64], width: Int, layers: [Dense]) throws -> Tensor {
        guard let tokens else { return Tensor.zeros([0]) }
        let rows = ids.count / width
        var h = try tokens(Tensor(shape: [rows, width], values: ids)).sum(axis: 1)   // [B, e]
        for l in layers { h = try l(h) }
        return h
    }

    /// Trains with in-batch softmax and caches the item vectors.
    public func fit(_ data: InteractionDataset) throws(RecError) {
        try require(epochs >= 0 && batchSize >= 2, "epochs/batchSize", "\(epochs)/\(batchSize)", "needs epochs ≥ 0 and batchSize ≥ 2")
        try require(temperature > 0, "temperature", temperature, "needs > 0")
        let c = try ImplicitContext(data, model: name)
        context = c
        _ = sideIDs(users: Array(0..<c.users.count), items: nil, grow: true)
        _ = sideIDs(users: nil, items: Array(0..<c.items.count), grow: true)
        tokens = try GrowableEmbedding(rows: encoder.size, width: embeddingSize, seed: seed)
        userLayers = [Dense(64, activation: .relu, inputSize: embeddingSize, seed: seed &+ 1), Dense(outputSize, inputSize: 64, seed: seed &+ 2)]
        itemLayers = [Dense(64, activation: .relu, inputSize: embeddingSize, seed: seed &+ 3), Dense(outputSize, inputSize: 64, seed: seed &+ 4)]
        let optimizer = Adam(learningRate: learningRate)
        var rng = RecRandom(seed: seed &+ 7)
        let R = c.byUser
        var pairs: [(Int, Int)] = []
        for u in 0..<R.rowCount { for q in R.range(of: u) { pairs.append((u, Int(R.columns[q]))) } }
        var logQ = [Float](repeating: 0, count: c.items.count)
        if logQCorrection {
            for (_, item) in pairs { logQ[item] += 1 }
            for i in logQ.indices { logQ[i] = Float(_log(Double(max(logQ[i], 1)) / Double(max(pairs.count, 1)))) }
        }
        for _ in 0..<epochs {
            rng.shuffle(&pairs)
            var start = 0
            while start + 1 < pairs.count {
                let batch = pairs[start..<min(start + batchSize, pairs.count)]
                start += batchSize
                let b = batch.count
                let (uIDs, uw) = sideIDs(users: batch.map(\.0), items: nil, grow: false)
                let (iIDs, iw) = sideIDs(users: nil, items: batch.map(\.1), grow: false)
                do {
                    let u = try tower(uIDs, width: uw, layers: userLayers)
                    let v = try tower(iIDs, width: iw, layers: itemLayers)
                    var logits = u.matmul(v, transposeB: true) * (1 / temperature)
                    if logQCorrection {
                        logits = logits - Tensor(shape: [1, b], scalars: batch.map { logQ[$0.1] })
                    }
                    var eye = [Float](repeating: 0, count: b * b)
                    for k in 0..<b { eye[k * b + k] = 1 }
                    let loss = -(logits.logSoftmax(axis: -1) * Tensor(shape: [b, b], scalars: eye)).sum() * (1 / Float(b))
                    loss.backward()
                    optimizer.step(parameters)
                    for p in parameters { p.zeroGrad() }
                } catch {
                    throw RecError.invalidParameter(name: "training batch", value: "\(b) pairs", reason: "\(error)")
                }
            }
        }
        let (all, w) = sideIDs(users: nil, items: Array(0..<c.items.count), grow: false)
        itemVectors = (try? withLearningPhase(training: false) { try tower(all, width: w, layers: itemLayers).scalars }) ?? []
    }

    /// u·v for every item; a cold user is embedded from their feature tokens.
    public func scoreItems(user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        guard context != nil, !itemVectors.isEmpty else { return }
        let (ids, w) = sideIDs(users: [user], items: nil, grow: false)
        guard let u = try? withLearningPhase(training: false, { try tower(ids, width: w, layers: userLayers).scalars }) else { return }
        let d = outputSize
        itemVectors.withUnsafeBufferPointer { V in
            u.withUnsafeBufferPointer { U in
                for i in 0..<min(scores.count, V.count / d) { scores[i] = dot(V.baseAddress! + i * d, U.baseAddress!, d) }
            }
        }
    }
}
