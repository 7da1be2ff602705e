import KouziTensor

/// Explains a model of table rows (a matrix `[rows, features]` in, `[rows, outputs]` out) with Shapley values:
/// a coalition's value is the model's average output over a background sample, each background row taking the
/// explained row's values for the features of the coalition's players. A player is one feature, or a group of
/// features that stand for one column (the one-hot features of a category).
///
/// Players whose features equal the explained row's in every background row cannot change the output: they get
/// zero attribution and are left out of the game, as the reference implementation does.
public struct TableExplainer {
    /// The model: rows in, one row of outputs per row out.
    public typealias Predict = (Tensor) throws -> Tensor

    /// The most model rows one forward pass is given (coalitions × background rows).
    public static let rowsPerPass = 16_384

    let predict: Predict
    /// Background rows, row-major, `backgroundRows` × `width`.
    let background: [Float]
    let backgroundRows: Int
    /// Features per row.
    public let width: Int
    /// The features of each player.
    public let groups: [[Int]]
    /// The players' names.
    public let names: [String]

    /// An explainer of `predict` against `background` (`[rows, features]`).
    /// - Parameters:
    ///   - groups: the features of each player, a partition of the features (nil: one player per feature).
    ///   - names: a name per player (nil: `x0`, `x1`, …).
    /// - Throws: ``ExplainError/invalidBackground(_:)`` for a background that is not a non-empty matrix of finite
    ///   numbers; ``ExplainError/invalidSetting(_:)`` for groups that do not partition the features.
    public init(predict: @escaping Predict, background: Tensor, groups: [[Int]]? = nil, names: [String]? = nil) throws {
        guard background.rank == 2, background.shape[0] > 0, background.shape[1] > 0 else {
            throw ExplainError.invalidBackground("the background must be a matrix [rows, features] with at least one row, got shape \(background.shape)")
        }
        let values = background.cast(to: .float32).scalars
        guard values.allSatisfy(\.isFinite) else { throw ExplainError.invalidBackground("the background holds a value that is not finite") }
        let width = background.shape[1]
        let groups = groups ?? (0..<width).map { [$0] }
        let covered = groups.flatMap { $0 }.sorted()
        guard covered == Array(0..<width), groups.allSatisfy({ !$0.isEmpty }) else {
            throw ExplainError.invalidSetting("the feature groups must share out the \(width) features, each exactly once, none empty")
        }
        let names = names ?? groups.indices.map { "x\($0)" }
        guard names.count == groups.count else {
            throw ExplainError.invalidSetting("\(names.count) names for \(groups.count) players")
        }
        self.predict = predict
        self.background = values
        backgroundRows = background.shape[0]
        self.width = width
        self.groups = groups
        self.names = names
    }

    /// Kernel SHAP values of each row of `x` (`[rows, features]`).
    /// - Parameters:
    ///   - samples: the coalition budget (nil: ``KernelSHAP/defaultSamples(players:)``); enough for every coalition
    ///     gives exact values.
    ///   - seed: the seed of the sampled coalitions (each row draws from `seed + row`).
    public func kernelSHAP(_ x: Tensor, samples: Int? = nil, seed: UInt64 = 0) throws -> [ShapleyExplanation] {
        try explainRows(x) { row, game in
            try KernelSHAP.explain(players: game.players.count, full: game.full, empty: game.empty, samples: samples,
                                   seed: seed &+ UInt64(row), evaluate: game.evaluate)
        }
    }

    /// Exact Shapley values of each row of `x` by enumerating every coalition of its players.
    /// - Throws: ``ExplainError/tooManyFeatures(count:limit:)`` when a row has more than
    ///   ``ExactShapley/maximumPlayers`` players that vary.
    public func exactShapley(_ x: Tensor) throws -> [ShapleyExplanation] {
        try explainRows(x) { _, game in try ExactShapley.explain(players: game.players.count, evaluate: game.evaluate) }
    }

    /// The expected output over the background, one entry per output.
    public func baseValue() throws -> [Double] { try average(try predict(backgroundTensor())) }

    /// One explanation per row; each row's game is over its varying players only, then spread back to all players.
    private func explainRows(_ x: Tensor, _ explain: (Int, Game) throws -> ShapleyExplanation) throws -> [ShapleyExplanation] {
        guard x.rank == 2, x.shape[1] == width else {
            throw ExplainError.invalidInput("the rows to explain must have shape [rows, \(width)], got \(x.shape)")
        }
        let rows = x.cast(to: .float32).scalars
        guard rows.allSatisfy(\.isFinite) else { throw ExplainError.invalidInput("a row to explain holds a value that is not finite") }
        let empty = try baseValue()
        return try (0..<x.shape[0]).map { r in
            let row = Array(rows[(r * width)..<((r + 1) * width)])
            let full = try average(try predict(Tensor(shape: [1, width], scalars: row)))
            let varying = groups.indices.filter { p in
                groups[p].contains { j in (0..<backgroundRows).contains { background[$0 * width + j] != row[j] } }
            }
            let game = Game(explainer: self, row: row, players: varying, full: full, empty: empty)
            let reduced = try explain(r, game)
            var attributions = [[Double]](repeating: [Double](repeating: 0, count: full.count), count: groups.count)
            for (i, p) in varying.enumerated() { attributions[p] = reduced.attributions[i] }
            return ShapleyExplanation(attributions: attributions, baseValue: empty, prediction: full, exact: reduced.exact)
        }
    }

    /// The background as a tensor.
    private func backgroundTensor() -> Tensor { Tensor(shape: [backgroundRows, width], scalars: background) }

    /// The mean of a model output over its rows, per output column.
    func average(_ y: Tensor) throws -> [Double] {
        let outputs = try outputWidth(y)
        let rows = y.shape[0]
        let values = y.scalars
        return (0..<outputs).map { k in
            var sum = 0.0
            for r in 0..<rows { sum += Double(values[r * outputs + k]) }
            return sum / Double(rows)
        }
    }

    private func outputWidth(_ y: Tensor) throws -> Int {
        guard y.rank == 1 || y.rank == 2 else {
            throw ExplainError.invalidInput("the model's output must be [rows] or [rows, outputs], got \(y.shape)")
        }
        return y.rank == 2 ? y.shape[1] : 1
    }

    /// The game of one explained row: the value of a coalition of `players` (indices into ``groups``).
    struct Game {
        let explainer: TableExplainer
        let row: [Float]
        let players: [Int]
        let full: [Double]
        let empty: [Double]

        /// The coalitions' values: the model's average over the background with the present players' features set
        /// to the row's, in passes of at most ``TableExplainer/rowsPerPass`` rows.
        func evaluate(_ masks: [[Bool]]) throws -> [[Double]] {
            let e = explainer, b = e.backgroundRows, width = e.width
            let perPass = Swift.max(1, TableExplainer.rowsPerPass / b)
            var values: [[Double]] = []
            values.reserveCapacity(masks.count)
            var start = 0
            while start < masks.count {
                let chunk = masks[start..<Swift.min(masks.count, start + perPass)]
                var batch = [Float]()
                batch.reserveCapacity(chunk.count * b * width)
                for mask in chunk {
                    let base = batch.count
                    batch.append(contentsOf: e.background)
                    for (i, present) in mask.enumerated() where present {
                        for j in e.groups[players[i]] {
                            let v = row[j]
                            for r in 0..<b { batch[base + r * width + j] = v }
                        }
                    }
                }
                let y = try e.predict(Tensor(shape: [chunk.count * b, width], scalars: batch))
                let outputs = try e.outputWidth(y)
                guard y.shape[0] == chunk.count * b else {
                    throw ExplainError.invalidInput("the model answered \(y.shape[0]) rows for \(chunk.count * b)")
                }
                y.withUnsafeFloats { p in
                    for c in 0..<chunk.count {
                        var mean = [Double](repeating: 0, count: outputs)
                        for r in 0..<b { for k in 0..<outputs { mean[k] += Double(p[(c * b + r) * outputs + k]) } }
                        values.append(mean.map { $0 / Double(b) })
                    }
                }
                start += chunk.count
            }
            return values
        }
    }
}
