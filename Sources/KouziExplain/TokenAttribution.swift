/// Attributions of a text model's answer to the tokens of its input: Kernel SHAP with one player per token, where a
/// coalition is the text with only its tokens kept (in their order) and the empty coalition is the empty text. With
/// up to ``exactTokens`` tokens every coalition is evaluated and the values are exact.
///
/// A text of more than ``maximumPlayers`` tokens is played in that many contiguous spans of nearly equal length (the
/// regression grows with the square of the players); each span's value is shared evenly by its tokens, so the
/// attributions still add up to the prediction minus the base value.
public enum TokenAttribution {
    /// The most tokens whose every coalition the default budget evaluates (2^11 − 2 ≤ 2 · 11 + 2048).
    public static let exactTokens = 11
    /// The most players a text is split into.
    public static let maximumPlayers = 64

    /// The attributions of `tokens`, one per token.
    /// - Parameters:
    ///   - predict: the model's outputs for each of several token lists (each a kept subset of `tokens`, in order).
    ///   - samples: the coalition budget (nil: Kernel SHAP's default).
    public static func explain(tokens: [String], samples: Int? = nil, seed: UInt64 = 0,
                               predict: ([[String]]) throws -> [[Double]]) throws -> ShapleyExplanation {
        let spans = spans(count: tokens.count, players: maximumPlayers)
        let ends = try predict([tokens, []])
        guard ends.count == 2 else { throw ExplainError.invalidInput("the model gave \(ends.count) answers for 2 texts") }
        let result = try KernelSHAP.explain(players: spans.count, full: ends[0], empty: ends[1], samples: samples, seed: seed) { masks in
            try predict(masks.map { mask in spans.indices.flatMap { mask[$0] ? Array(tokens[spans[$0]]) : [] } })
        }
        var perToken = result
        perToken.attributions = spans.indices.flatMap { p in
            [[Double]](repeating: result.attributions[p].map { $0 / Double(spans[p].count) }, count: spans[p].count)
        }
        return perToken
    }

    /// `count` positions cut into at most `players` contiguous spans whose lengths differ by at most one.
    static func spans(count: Int, players: Int) -> [Range<Int>] {
        let parts = Swift.min(count, players)
        return (0..<parts).map { ($0 * count / parts)..<(($0 + 1) * count / parts) }
    }
}
