/// Shapley attributions of one explained example: how much each player (a feature, a group of features, a token)
/// moved each model output away from the expected output.
public struct ShapleyExplanation: Sendable, Equatable {
    /// `attributions[player][output]`.
    public var attributions: [[Double]]
    /// The expected outputs when no player is present (over the background), one per output.
    public var baseValue: [Double]
    /// The outputs with every player present (the model's answer for the example), one per output.
    public var prediction: [Double]
    /// Whether every coalition was evaluated (the values are exact), or a sample of them.
    public var exact: Bool

    public init(attributions: [[Double]], baseValue: [Double], prediction: [Double], exact: Bool) {
        self.attributions = attributions
        self.baseValue = baseValue
        self.prediction = prediction
        self.exact = exact
    }

    /// The attributions of output `k`, one per player.
    public func attributions(output k: Int) -> [Double] { attributions.map { $0[k] } }

    /// The largest gap, over the outputs, between the attributions' sum and prediction minus base value (zero up to
    /// rounding: both Kernel SHAP and the exact values satisfy additivity by construction).
    public var additivityGap: Double {
        baseValue.indices.map { k in
            abs(attributions.reduce(0) { $0 + $1[k] } - (prediction[k] - baseValue[k]))
        }.max() ?? 0
    }
}
