/// Attributions of a text model's answer to the tokens of its input: Kernel SHAP with one player per token, where a
/// coalition is the text with only its tokens kept (in their order) and the empty coalition is the empty text. With
/// up to ``exactTokens`` tokens every coalition is evaluated and the values are exact.
public enum TokenAttribution {
    /// The most tokens whose every coalition the default budget evaluates (2^11 − 2 ≤ 2 · 11 + 2048).
    public static let exactTokens = 11

    /// The attributions of `tokens`.
    /// - Parameters:
    ///   - predict: the model's outputs for each of several token lists (each a kept subset of `tokens`, in order).
    ///   - samples: the coalition budget (nil: Kernel SHAP's default).
    public static func explain(tokens: [String], samples: Int? = nil, seed: UInt64 = 0,
                               predict: ([[String]]) throws -> [[Double]]) throws -> ShapleyExplanation {
        let ends = try predict([tokens, []])
        guard ends.count == 2 else { throw ExplainError.invalidInput("the model gave \(ends.count) answers for 2 texts") }
        return try KernelSHAP.explain(players: tokens.count, full: ends[0], empty: ends[1], samples: samples, seed: seed) { masks in
            try predict(masks.map { mask in zip(tokens, mask).compactMap { $1 ? $0 : nil } })
        }
    }
}
