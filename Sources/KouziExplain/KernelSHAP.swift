import KouziBase

/// Kernel SHAP (Lundberg & Lee 2017): Shapley values as the solution of a weighted linear regression over
/// coalitions of players, weighted by the Shapley kernel `(M − 1) / (C(M, s) · s · (M − s))`.
///
/// Coalitions are chosen as the reference implementation chooses them, so that equal budgets give equal answers:
/// subset sizes are taken from the smallest (with their complements) while the budget covers every subset of that
/// size in proportion to the kernel's weight, each enumerated coalition carrying its exact kernel weight; the budget
/// left is spent on random coalitions of the remaining sizes, drawn in complementary pairs, whose weights are then
/// scaled to the kernel weight those sizes hold. When the budget covers every coalition (2^M − 2 of them) the
/// regression is exact and gives the Shapley values themselves. Additivity — attributions summing to the prediction
/// minus the base value — is a constraint of the regression (the last player's value is eliminated), not a
/// correction afterwards.
public enum KernelSHAP {
    /// The coalitions evaluated when no budget is given: 2M + 2048, the reference implementation's default.
    public static func defaultSamples(players: Int) -> Int { 2 * players + 2048 }

    /// The most coalitions a budget may name.
    public static let maximumSamples = 1 << 20

    /// The coalitions to evaluate and their regression weights.
    struct Plan {
        var masks: [[Bool]] = []
        var weights: [Double] = []
        /// Whether every coalition is in the plan.
        var exhaustive = false
    }

    /// Shapley values of a game of `players` players.
    ///
    /// - Parameters:
    ///   - full: the game's value with every player present (the prediction), one entry per output.
    ///   - empty: its value with none (the base value).
    ///   - samples: the coalition budget (nil: ``defaultSamples(players:)``); a budget of 2^M − 2 or more
    ///     enumerates every coalition.
    ///   - seed: the seed of the random coalitions.
    ///   - evaluate: the game's value of each coalition (`mask[j]`: player j is present), one entry per output.
    public static func explain(players: Int, full: [Double], empty: [Double], samples: Int? = nil, seed: UInt64 = 0,
                               evaluate: ([[Bool]]) throws -> [[Double]]) throws -> ShapleyExplanation {
        guard full.count == empty.count else {
            throw ExplainError.invalidInput("the full and empty coalitions have \(full.count) and \(empty.count) outputs")
        }
        let budget = samples ?? defaultSamples(players: players)
        guard budget >= 1, budget <= maximumSamples else {
            throw ExplainError.invalidSetting("samples must be between 1 and \(maximumSamples), got \(budget)")
        }
        let gap = zip(full, empty).map { $0 - $1 }
        switch players {
        case 0: return ShapleyExplanation(attributions: [], baseValue: empty, prediction: full, exact: true)
        case 1: return ShapleyExplanation(attributions: [gap], baseValue: empty, prediction: full, exact: true)
        default: break
        }
        let plan = makePlan(players: players, budget: budget, seed: seed)
        let values = try evaluate(plan.masks)
        guard values.count == plan.masks.count, values.allSatisfy({ $0.count == full.count }) else {
            throw ExplainError.invalidInput("the model gave \(values.count) answers of the wrong width for \(plan.masks.count) coalitions")
        }
        let phi = try solve(plan, players: players, values: values.map { zip($0, empty).map { $0 - $1 } }, gaps: gap)
        let attributions = (0..<players).map { j in full.indices.map { phi[$0][j] } }
        return ShapleyExplanation(attributions: attributions, baseValue: empty, prediction: full, exact: plan.exhaustive)
    }

    /// The coalitions for `players` players within `budget` evaluations.
    static func makePlan(players m: Int, budget requested: Int, seed: UInt64) -> Plan {
        let all = m >= 62 ? Int.max : (1 << m) - 2
        let budget = Swift.min(requested, all)
        let sizes = m / 2, pairedSizes = (m - 1) / 2
        // The kernel's total weight of each subset size s (1…sizes); a size paired with its complement counts twice.
        var sizeWeight = (1...sizes).map { s in Double(m - 1) / Double(s * (m - s)) * (s <= pairedSizes ? 2 : 1) }
        let total = sizeWeight.reduce(0, +)
        sizeWeight = sizeWeight.map { $0 / total }
        var plan = Plan()
        var left = Double(budget)
        var remaining = sizeWeight
        var enumerated = 0
        for s in 1...sizes {
            let count = binomial(m, s) * (s <= pairedSizes ? 2 : 1)
            guard left * remaining[s - 1] / count >= 1 - 1e-8 else { break }
            enumerated += 1
            left -= count
            if remaining[s - 1] < 1 { remaining = remaining.map { $0 / (1 - remaining[s - 1]) } }
            let weight = sizeWeight[s - 1] / binomial(m, s) / (s <= pairedSizes ? 2 : 1)
            forEachSubset(of: m, size: s) { mask in
                plan.masks.append(mask)
                plan.weights.append(weight)
                if s <= pairedSizes {
                    plan.masks.append(mask.map { !$0 })
                    plan.weights.append(weight)
                }
            }
        }
        plan.exhaustive = enumerated == sizes
        guard !plan.exhaustive else { return plan }
        // Random coalitions of the sizes not enumerated, each with its complement while that size is paired.
        let fixed = plan.masks.count
        var samplesLeft = budget - fixed
        var drawWeights = (enumerated..<sizes).map { i in sizeWeight[i] / (i + 1 <= pairedSizes ? 2 : 1) }
        let drawTotal = drawWeights.reduce(0, +)
        drawWeights = drawWeights.map { $0 / drawTotal }
        var generator = SeededGenerator(seed: seed)
        var seen: [[Bool]: Int] = [:]
        var draws = 0
        while samplesLeft > 0 && draws < 4 * (budget - fixed) {
            draws += 1
            let size = enumerated + 1 + pick(drawWeights, &generator)
            var order = Array(0..<m)
            order.shuffle(using: &generator)
            var mask = [Bool](repeating: false, count: m)
            for j in order.prefix(size) { mask[j] = true }
            let isNew: Bool
            if let at = seen[mask] {
                plan.weights[at] += 1
                isNew = false
            } else {
                seen[mask] = plan.masks.count
                plan.masks.append(mask)
                plan.weights.append(1)
                samplesLeft -= 1
                isNew = true
            }
            guard samplesLeft > 0, size <= pairedSizes else { continue }
            if isNew {
                plan.masks.append(mask.map { !$0 })
                plan.weights.append(1)
                samplesLeft -= 1
            } else {
                plan.weights[seen[mask]! + 1] += 1
            }
        }
        // The random coalitions together carry the kernel weight of the sizes they were drawn from.
        let sampledWeight = plan.weights[fixed...].reduce(0, +)
        let owed = sizeWeight[enumerated...].reduce(0, +)
        if sampledWeight > 0 { for i in fixed..<plan.weights.count { plan.weights[i] *= owed / sampledWeight } }
        return plan
    }

    /// The regression's solution for every output at once: `values[i][k]` is coalition i's value of output k minus the
    /// base value, `gaps[k]` the prediction minus the base value. The last player's attribution is the gap minus the
    /// others', which makes the regression unconstrained in M − 1 unknowns; the normal matrix is the same for every
    /// output, so it is built and factorised once. Returns `phi[output][player]`.
    static func solve(_ plan: Plan, players m: Int, values: [[Double]], gaps: [Double]) throws -> [[Double]] {
        let n = m - 1, outputs = gaps.count
        var normal = [Double](repeating: 0, count: n * n)
        var right = [[Double]](repeating: [Double](repeating: 0, count: n), count: outputs)
        var row = [Double](repeating: 0, count: n)
        var present: [Int] = []
        present.reserveCapacity(n)
        for (i, mask) in plan.masks.enumerated() {
            let last: Double = mask[m - 1] ? 1 : 0
            present.removeAll(keepingCapacity: true)
            for j in 0..<n {
                row[j] = (mask[j] ? 1 : 0) - last
                if row[j] != 0 { present.append(j) }
            }
            let w = plan.weights[i]
            for k in 0..<outputs {
                let y = w * (values[i][k] - last * gaps[k])
                for a in present { right[k][a] += row[a] * y }
            }
            for a in present {
                let wa = w * row[a]
                for b in present { normal[a * n + b] += wa * row[b] }
            }
        }
        let factor = try LinearSolve.Cholesky(normal, size: n)
        return (0..<outputs).map { k in
            let phi = factor.solve(right[k])
            return phi + [gaps[k] - phi.reduce(0, +)]
        }
    }

    /// Index drawn with probabilities `weights` (summing to 1).
    private static func pick(_ weights: [Double], _ generator: inout SeededGenerator) -> Int {
        let u = Double.random(in: 0..<1, using: &generator)
        var acc = 0.0
        for (i, w) in weights.enumerated() {
            acc += w
            if u < acc { return i }
        }
        return weights.count - 1
    }
}

/// C(n, k) as a floating-point number (exact for the sizes a plan enumerates).
func binomial(_ n: Int, _ k: Int) -> Double {
    var result = 1.0
    for i in 0..<Swift.min(k, n - k) { result = result * Double(n - i) / Double(i + 1) }
    return result.rounded()
}

/// Calls `body` with every mask of `n` players holding exactly `size` of them, in lexicographic order.
func forEachSubset(of n: Int, size: Int, _ body: ([Bool]) -> Void) {
    var chosen = Array(0..<size)
    var mask = [Bool](repeating: false, count: n)
    while true {
        for i in mask.indices { mask[i] = false }
        for j in chosen { mask[j] = true }
        body(mask)
        var i = size - 1
        while i >= 0 && chosen[i] == n - size + i { i -= 1 }
        guard i >= 0 else { return }
        chosen[i] += 1
        for j in (i + 1)..<size { chosen[j] = chosen[j - 1] + 1 }
    }
}
