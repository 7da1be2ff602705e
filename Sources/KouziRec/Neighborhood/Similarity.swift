/// A similarity measure between two users (or two items) over the ratings they have in common.
///
/// With x, y the two entities, C their common co-rated set, r the ratings and n = |C|:
/// - `cosine`: Σ r_x r_y / √(Σ r_x² · Σ r_y²)
/// - `msd`: 1 / (1 + (1/n) Σ (r_x − r_y)²)  (mean squared difference, Surprise's default)
/// - `pearson`: the Pearson correlation over C (means taken over C)
/// - `pearsonBaseline(shrinkage:)`: cosine of baseline residuals r − (μ + b_u + b_i) over C, multiplied by
///   (n − 1) / (n − 1 + shrinkage) (Koren 2010; Surprise's `pearson_baseline`, shrinkage 100)
/// - `adjustedCosine`: cosine of ratings centred by the mean of the *other* axis (for item–item: each
///   user's mean is subtracted, Sarwar et al. 2001)
///
/// Pairs with n < `minSupport` get similarity 0; an entity's similarity with itself is 1.
public enum SimilarityMeasure: Sendable, Equatable {
    /// Cosine of raw ratings.
    case cosine
    /// Inverse mean squared difference.
    case msd
    /// Pearson correlation over co-rated entries.
    case pearson
    /// Shrunk cosine of baseline residuals.
    case pearsonBaseline(shrinkage: Double = 100)
    /// Cosine of ratings centred by the other axis's means.
    case adjustedCosine
}

/// How a k-NN model computes and stores similarities.
public struct SimilarityOptions: Sendable, Equatable {
    /// The measure.
    public var measure: SimilarityMeasure
    /// Whether neighbours are users (true) or items (false).
    public var userBased: Bool
    /// The least number of co-rated entries for a non-zero similarity.
    public var minSupport: Int
    /// Extra shrinkage λ applied to any measure: s · (n − 1)/(n − 1 + λ); 0 turns it off.
    public var shrinkage: Double
    /// Keep only the `neighborLimit` most similar entities per row (sparse storage), so similarity matrices
    /// fit in memory on large catalogues. nil stores the dense matrix when it has ≤ 25 M entries and
    /// otherwise prunes to 200.
    public var neighborLimit: Int?

    /// Options; the defaults are Surprise's (MSD, user-based, min support 1).
    public init(measure: SimilarityMeasure = .msd, userBased: Bool = true, minSupport: Int = 1,
                shrinkage: Double = 0, neighborLimit: Int? = nil) {
        self.measure = measure
        self.userBased = userBased
        self.minSupport = minSupport
        self.shrinkage = shrinkage
        self.neighborLimit = neighborLimit
    }

    func validate() throws(RecError) {
        try require(minSupport >= 0, "minSupport", minSupport, "needs ≥ 0")
        try require(shrinkage >= 0 && shrinkage.isFinite, "shrinkage", shrinkage, "needs ≥ 0")
        if let n = neighborLimit { try require(n >= 1, "neighborLimit", n, "needs ≥ 1") }
        if case let .pearsonBaseline(s) = measure { try require(s >= 0, "shrinkage", s, "needs ≥ 0") }
    }
}

/// A square similarity matrix, dense or pruned to the top neighbours of every row.
public struct SimilarityMatrix: Sendable {
    /// The number of rows (and columns).
    public let size: Int
    private let dense: [Float]
    private let prunedStart: [Int]
    private let prunedIndex: [Int32]
    private let prunedValue: [Float]

    /// Whether only the top neighbours of each row are stored.
    public var isPruned: Bool { dense.isEmpty && size > 0 }

    init(size: Int, dense: [Float]) {
        self.size = size; self.dense = dense
        prunedStart = []; prunedIndex = []; prunedValue = []
    }

    init(size: Int, start: [Int], index: [Int32], value: [Float]) {
        self.size = size; dense = []
        prunedStart = start; prunedIndex = index; prunedValue = value
    }

    /// The similarity of `a` and `b` (0 when pruned away).
    @inline(__always)
    public func callAsFunction(_ a: Int, _ b: Int) -> Float {
        if !dense.isEmpty { return dense[a &* size &+ b] }
        var lo = prunedStart[a], hi = prunedStart[a + 1]
        let key = Int32(b)
        while lo < hi {
            let mid = (lo + hi) >> 1
            if prunedIndex[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < prunedStart[a + 1] && prunedIndex[lo] == key ? prunedValue[lo] : 0
    }

    /// Computes all similarities between the rows of `rows` (entities × other axis, values already
    /// transformed for the measure) using `columns` (its transpose) for dense row-at-a-time accumulation:
    /// O(Σ over columns of their length²) time, O(rows) scratch, no per-pair allocation.
    static func compute(rows: CSRMatrix, columns: CSRMatrix, measure: SimilarityMeasure,
                        minSupport: Int, shrinkage: Double, neighborLimit: Int?) -> SimilarityMatrix {
        let n = rows.rowCount
        let limit: Int? = neighborLimit ?? (n * n > 25_000_000 ? 200 : nil)
        var dense = limit == nil ? [Float](repeating: 0, count: n * n) : []
        var start = [0], index: [Int32] = [], value: [Float] = []
        var count = [Int32](repeating: 0, count: n)
        var sxy = [Double](repeating: 0, count: n), sxx = sxy, syy = sxy, sx = sxy, sy = sxy
        var touched: [Int32] = []
        var rowSims: [(Int32, Float)] = []
        let isMSD = measure == .msd, isPearson = measure == .pearson
        var extraShrink = shrinkage
        if case let .pearsonBaseline(s) = measure { extraShrink = s }
        rows.rowStart.withUnsafeBufferPointer { rs in
        rows.columns.withUnsafeBufferPointer { rc in
        rows.values.withUnsafeBufferPointer { rv in
        columns.rowStart.withUnsafeBufferPointer { cs in
        columns.columns.withUnsafeBufferPointer { cc in
        columns.values.withUnsafeBufferPointer { cv in
            for x in 0..<n {
                touched.removeAll(keepingCapacity: true)
                for k in rs[x]..<rs[x + 1] {
                    let y = Int(rc[k])
                    let a = Double(rv[k])
                    for m in cs[y]..<cs[y + 1] {
                        let x2 = Int(cc[m])
                        let b = Double(cv[m])
                        if count[x2] == 0 { touched.append(Int32(x2)) }
                        count[x2] += 1
                        if isMSD {
                            let d = a - b
                            sxy[x2] += d * d
                        } else {
                            sxy[x2] += a * b
                            sxx[x2] += a * a
                            syy[x2] += b * b
                            if isPearson { sx[x2] += a; sy[x2] += b }
                        }
                    }
                }
                rowSims.removeAll(keepingCapacity: true)
                for t in touched {
                    let x2 = Int(t)
                    let f = Int(count[x2])
                    var s = 0.0
                    if f >= max(minSupport, 1) {
                        let nf = Double(f)
                        if isMSD {
                            s = 1 / (sxy[x2] / nf + 1)
                        } else if isPearson {
                            let num = nf * sxy[x2] - sx[x2] * sy[x2]
                            let den = ((nf * sxx[x2] - sx[x2] * sx[x2]) * (nf * syy[x2] - sy[x2] * sy[x2])).squareRoot()
                            s = den > 0 ? num / den : 0
                        } else {
                            let den = (sxx[x2] * syy[x2]).squareRoot()
                            s = den > 0 ? sxy[x2] / den : 0
                        }
                        if extraShrink > 0 { s *= (nf - 1) / (nf - 1 + extraShrink) }
                    }
                    if x2 == x { s = 1 }
                    if limit == nil { dense[x * n + x2] = Float(s) } else if s != 0 { rowSims.append((t, Float(s))) }
                    count[x2] = 0; sxy[x2] = 0; sxx[x2] = 0; syy[x2] = 0; sx[x2] = 0; sy[x2] = 0
                }
                if let limit {
                    if rowSims.count > limit {
                        rowSims.sort { $0.1 > $1.1 }
                        rowSims.removeSubrange(limit...)
                    }
                    rowSims.sort { $0.0 < $1.0 }
                    for (i, s) in rowSims { index.append(i); value.append(s) }
                    start.append(index.count)
                } else {
                    dense[x * n + x] = 1
                }
            }
        }}}}}}
        if limit == nil { return SimilarityMatrix(size: n, dense: dense) }
        return SimilarityMatrix(size: n, start: start, index: index, value: value)
    }
}
