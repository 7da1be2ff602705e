import KouziBase
import KouziTensor

/// Permutation feature importance (Breiman 2001; Fisher, Rudin & Dominici 2019): how much a model's score on a test
/// set drops when one feature's values are shuffled across the rows, breaking its link with the target. Each feature
/// (or group of features standing for one column) is shuffled `repeats` times; the importance is the mean drop, with
/// its standard deviation and a 95 % confidence interval from Student's t distribution.
public enum PermutationImportance {
    /// One feature's importance.
    public struct Feature: Sendable, Equatable {
        public var name: String
        /// The mean drop of the score.
        public var mean: Double
        public var standardDeviation: Double
        /// The 95 % confidence interval of the mean drop.
        public var lower: Double
        public var upper: Double
        /// The drop of each repeat.
        public var drops: [Double]
    }

    /// The result: the score on the intact rows and every feature's importance, in the order of the features.
    public struct Result: Sendable, Equatable {
        public var baseline: Double
        public var features: [Feature]

        /// The features from the most important to the least.
        public var ranked: [Feature] { features.sorted { $0.mean > $1.mean } }
    }

    /// The most repeats.
    public static let maximumRepeats = 100

    /// Importances of the features of `x` (`[rows, features]`) for a model whose predictions `score` rates (higher is
    /// better: accuracy, R², a negated loss).
    /// - Parameters:
    ///   - groups: the features shuffled together as one (the one-hot features of a column); nil: each on its own.
    ///   - names: one name per group.
    ///   - seed: the seed of the shuffles.
    public static func compute(predict: (Tensor) throws -> Tensor, x: Tensor, score: (Tensor) throws -> Double,
                               groups: [[Int]]? = nil, names: [String]? = nil, repeats: Int = 5, seed: UInt64 = 0) throws -> Result {
        guard x.rank == 2, x.shape[0] >= 2, x.shape[1] >= 1 else {
            throw ExplainError.invalidInput("permutation importance needs a matrix [rows, features] of at least two rows, got \(x.shape)")
        }
        guard (1...maximumRepeats).contains(repeats) else {
            throw ExplainError.invalidSetting("repeats must be between 1 and \(maximumRepeats), got \(repeats)")
        }
        let rows = x.shape[0], width = x.shape[1]
        let groups = groups ?? (0..<width).map { [$0] }
        guard groups.flatMap({ $0 }).sorted() == Array(0..<width) else {
            throw ExplainError.invalidSetting("the feature groups must share out the \(width) features, each exactly once")
        }
        let names = names ?? groups.indices.map { "x\($0)" }
        guard names.count == groups.count else { throw ExplainError.invalidSetting("\(names.count) names for \(groups.count) features") }
        let values = x.cast(to: .float32).scalars
        let baseline = try score(try predict(x))
        var generator = SeededGenerator(seed: seed)
        var features: [Feature] = []
        for (g, group) in groups.enumerated() {
            var drops: [Double] = []
            for _ in 0..<repeats {
                var order = Array(0..<rows)
                order.shuffle(using: &generator)
                var shuffled = values
                for (r, source) in order.enumerated() {
                    for j in group { shuffled[r * width + j] = values[source * width + j] }
                }
                drops.append(baseline - (try score(try predict(Tensor(shape: [rows, width], scalars: shuffled)))))
            }
            let mean = drops.reduce(0, +) / Double(repeats)
            let sd = repeats > 1 ? (drops.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(repeats - 1)).squareRoot() : 0
            let half = repeats > 1 ? studentT975(degrees: repeats - 1) * sd / Double(repeats).squareRoot() : 0
            features.append(Feature(name: names[g], mean: mean, standardDeviation: sd, lower: mean - half, upper: mean + half, drops: drops))
        }
        return Result(baseline: baseline, features: features)
    }

    /// The 97.5 % quantile of Student's t distribution with `degrees` degrees of freedom (two-sided 95 %).
    static func studentT975(degrees: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
                               2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
                               2.052, 2.048, 2.045, 2.042]
        if degrees <= table.count { return table[Swift.max(degrees, 1) - 1] }
        // Beyond 30 degrees: the normal quantile with the first correction term of the Cornish–Fisher expansion.
        let z = 1.959964
        return z + (z * z * z + z) / (4 * Double(degrees))
    }
}

/// Scores of predictions against targets, for ``PermutationImportance`` (higher is better).
public enum PredictionScore {
    /// The share of rows whose highest output is the row's class.
    public static func accuracy(labels: [Int]) -> (Tensor) throws -> Double {
        { y in
            guard y.rank == 2, y.shape[0] == labels.count else {
                throw ExplainError.invalidInput("accuracy needs [rows, classes] outputs for \(labels.count) rows, got \(y.shape)")
            }
            let k = y.shape[1], values = y.scalars
            var right = 0
            for (r, label) in labels.enumerated() {
                var best = 0
                for c in 1..<Swift.max(k, 1) where values[r * k + c] > values[r * k + best] { best = c }
                if k == 1 ? ((values[r] >= 0.5 ? 1 : 0) == label) : best == label { right += 1 }
            }
            return Double(right) / Double(labels.count)
        }
    }

    /// The coefficient of determination R² of a single-output regression.
    public static func r2(targets: [Float]) -> (Tensor) throws -> Double {
        { y in
            guard y.shape.first == targets.count, y.shape.dropFirst().reduce(1, *) == 1 else {
                throw ExplainError.invalidInput("R² needs one prediction for each of \(targets.count) rows, got \(y.shape)")
            }
            let p = y.scalars
            let mean = targets.reduce(0.0) { $0 + Double($1) } / Double(targets.count)
            var residual = 0.0, total = 0.0
            for (t, v) in zip(targets, p) {
                residual += (Double(t) - Double(v)) * (Double(t) - Double(v))
                total += (Double(t) - mean) * (Double(t) - mean)
            }
            return total > 0 ? 1 - residual / total : 0
        }
    }
}
