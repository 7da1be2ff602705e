import KouziTensor

/// A mapping between tokens and integer ids, built from training text.
///
/// Id 0 is padding (`<pad>`) and id 1 stands for any unknown token (`<unk>`); real tokens follow,
/// most frequent first (ties in alphabetical order, so building is deterministic). The vocabulary is
/// `Codable`, so a trained model can store the mapping it was trained with.
///
/// ```swift
/// let vocab = Vocabulary(sentences, minCount: 2, maxSize: 10_000)
/// let ids = try vocab.encode(sentences, length: 40)   // [N, 40] int64, 0-padded at the end
/// ```
public struct Vocabulary: Sendable, Codable, Equatable {
    /// The id of the padding token.
    public static let paddingID = 0
    /// The id of unknown tokens.
    public static let unknownID = 1
    /// The reserved tokens for ids 0 and 1.
    public static let reserved = ["<pad>", "<unk>"]

    /// Tokens by id.
    public let tokens: [String]
    private let ids: [String: Int]

    /// Builds a vocabulary from tokenized texts, keeping tokens seen at least `minCount` times and at
    /// most `maxSize` entries in all (the two reserved ids included).
    public init(_ texts: [[String]], minCount: Int = 1, maxSize: Int? = nil) {
        var counts: [String: Int] = [:]
        for text in texts { for token in text { counts[token, default: 0] += 1 } }
        var kept = counts.filter { $0.value >= minCount && !Self.reserved.contains($0.key) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        if let maxSize { kept = Array(kept.prefix(Swift.max(0, maxSize - Self.reserved.count))) }
        self.init(tokens: Self.reserved + kept)
    }

    /// A vocabulary with the given tokens by id (the first two should be the reserved tokens).
    public init(tokens: [String]) {
        self.tokens = tokens
        var map: [String: Int] = [:]
        for (i, t) in tokens.enumerated() where map[t] == nil { map[t] = i }
        ids = map
    }

    /// Number of ids (the `inputDim` of an ``Embedding`` that reads them).
    public var count: Int { tokens.count }

    /// The id of `token`, or ``unknownID``.
    public func id(of token: String) -> Int { ids[token] ?? Self.unknownID }

    /// The token of `id`, or nil outside the vocabulary.
    public func token(of id: Int) -> String? { tokens.indices.contains(id) ? tokens[id] : nil }

    /// Ids of a tokenized text, cut or 0-padded at the end to `length`.
    public func encode(_ text: [String], length: Int) -> [Int64] {
        var out = text.prefix(length).map { Int64(id(of: $0)) }
        out += [Int64](repeating: Int64(Self.paddingID), count: length - out.count)
        return out
    }

    /// Ids of several tokenized texts as an int64 tensor `[texts, length]`.
    public func encode(_ texts: [[String]], length: Int) throws -> Tensor {
        guard length > 0 else { throw TextError.invalidSetting("sequence length must be at least 1, got \(length)") }
        return Tensor(shape: [texts.count, length], values: texts.flatMap { encode($0, length: length) })
    }

    private enum CodingKeys: String, CodingKey { case tokens }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(tokens: try c.decode([String].self, forKey: .tokens))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tokens, forKey: .tokens)
    }
}
