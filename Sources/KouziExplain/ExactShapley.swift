/// Shapley values by their definition: every coalition of the players is evaluated, and each player's value is its
/// marginal contribution averaged over the orders in which players may join,
/// `φ_i = Σ_{S ⊆ N∖{i}} |S|! (M − |S| − 1)! / M! · (v(S ∪ {i}) − v(S))`.
public enum ExactShapley {
    /// The most players: 2^16 coalitions, each evaluated over the whole background.
    public static let maximumPlayers = 16

    /// The Shapley values of a game of `players` players whose value `evaluate` gives for each coalition (the
    /// coalitions include the empty and the full one).
    /// - Throws: ``ExplainError/tooManyFeatures(count:limit:)`` beyond ``maximumPlayers``.
    public static func explain(players m: Int, evaluate: ([[Bool]]) throws -> [[Double]]) throws -> ShapleyExplanation {
        guard m <= maximumPlayers else { throw ExplainError.tooManyFeatures(count: m, limit: maximumPlayers) }
        let count = 1 << m
        let masks = (0..<count).map { bits in (0..<m).map { bits & (1 << $0) != 0 } }
        let values = try evaluate(masks)
        guard values.count == count, let outputs = values.first?.count, values.allSatisfy({ $0.count == outputs }) else {
            throw ExplainError.invalidInput("the model gave \(values.count) answers of the wrong width for \(count) coalitions")
        }
        // weight[s] = s! (M − s − 1)! / M!
        var weight = [Double](repeating: 0, count: Swift.max(m, 1))
        for s in 0..<m { weight[s] = 1 / (Double(m) * binomial(m - 1, s)) }
        var attributions = [[Double]](repeating: [Double](repeating: 0, count: outputs), count: m)
        for bits in 0..<count {
            let size = bits.nonzeroBitCount
            for i in 0..<m where bits & (1 << i) == 0 {
                let with = bits | (1 << i), w = weight[size]
                for k in 0..<outputs { attributions[i][k] += w * (values[with][k] - values[bits][k]) }
            }
        }
        return ShapleyExplanation(attributions: attributions, baseValue: values[0], prediction: values[count - 1], exact: true)
    }
}
