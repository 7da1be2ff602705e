/// A user who was not in the training data, represented by latent factors computed from a few
/// interactions against the fixed item factors ("fold-in"), without retraining the model.
public struct FoldedUser: Sendable, Equatable {
    /// The user's latent vector.
    public var factors: [Float]
    /// The user's bias (0 for unbiased models).
    public var bias: Double
    /// The item indices the user interacted with (excluded from recommendations).
    public var seen: Set<Int>

    /// A folded-in user.
    public init(factors: [Float], bias: Double, seen: Set<Int>) {
        self.factors = factors
        self.bias = bias
        self.seen = seen
    }
}

/// Ridge fold-in shared by the explicit factor models: solves
/// min over (p, b) of Σ_j (r_j − μ − b_j − b − q_j·p)² + λ (‖p‖² + b²).
func ridgeFoldIn(items: [Int], targets: [Double], itemFactors: [Float], factors f: Int,
                 fitBias: Bool, lambda: Double) -> (p: [Float], bias: Double) {
    let n = f + (fitBias ? 1 : 0)
    var a = [Double](repeating: 0, count: n * n)
    var b = [Double](repeating: 0, count: n)
    var row = [Double](repeating: 0, count: n)
    for (j, item) in items.enumerated() {
        for k in 0..<f { row[k] = Double(itemFactors[item * f + k]) }
        if fitBias { row[f] = 1 }
        for r in 0..<n {
            b[r] += row[r] * targets[j]
            for c in 0..<n { a[r * n + c] += row[r] * row[c] }
        }
    }
    for d in 0..<n { a[d * n + d] += lambda }
    guard choleskySolve(&a, &b, n: n) else { return ([Float](repeating: 0, count: f), 0) }
    return (b[0..<f].map { Float($0) }, fitBias ? b[f] : 0)
}
