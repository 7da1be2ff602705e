/// Sparse TF-IDF vectors over a vocabulary built from token lists.
///
/// tf(t, d) = count of t in d; idf(t) = ln((1 + N) / (1 + df(t))) + 1 (smoothed, as scikit-learn);
/// each document vector is L2-normalised, so the dot product of two vectors is their cosine.
public struct TFIDFVectorizer: Sendable {
    /// Token → column.
    public private(set) var vocabulary: [String: Int] = [:]
    /// The idf of each column.
    public private(set) var idf: [Float] = []

    /// Learns the vocabulary and idf from `documents`.
    public init(documents: [[String]]) {
        var df: [Int] = []
        for doc in documents {
            for t in Set(doc) {
                if let c = vocabulary[t] { df[c] += 1 } else { vocabulary[t] = df.count; df.append(1) }
            }
        }
        let n = Float(documents.count)
        idf = df.map { Float(_log(Double((1 + n) / (1 + Float($0))))) + 1 }
    }

    /// The L2-normalised TF-IDF vector of `tokens` as sorted (column, weight) pairs; unknown tokens are
    /// ignored (an empty vector when none is known).
    public func transform(_ tokens: [String]) -> [(Int32, Float)] {
        var counts: [Int: Float] = [:]
        for t in tokens { if let c = vocabulary[t] { counts[c, default: 0] += 1 } }
        var v = counts.map { (Int32($0.key), $0.value * idf[$0.key]) }.sorted { $0.0 < $1.0 }
        var norm: Float = 0
        for (_, w) in v { norm += w * w }
        norm = norm.squareRoot()
        if norm > 0 { for k in v.indices { v[k].1 /= norm } }
        return v
    }

    /// Lower-case word tokens of a title (letters and digits), without the trailing "(year)".
    public static func titleTokens(_ title: String) -> [String] {
        var words: [String] = []
        var current = ""
        for ch in title.lowercased() {
            if ch.isLetter || ch.isNumber { current.append(ch) } else if !current.isEmpty { words.append(current); current = "" }
        }
        if !current.isEmpty { words.append(current) }
        if let last = words.last, last.count == 4, Int(last) != nil { words.removeLast() }
        return words.filter { $0.count > 1 }
    }
}
