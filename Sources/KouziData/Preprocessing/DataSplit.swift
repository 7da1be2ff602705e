import KouziTensor

/// Seeded train / validation / test splits, optionally stratified so each part keeps the class mix.
///
/// Part sizes follow the fractions by the largest-remainder rule, so they add up to the example count
/// exactly. Stratified splits keep both the part sizes and, as closely as whole numbers allow, each
/// class's share in every part.
///
/// ```swift
/// let (xTrain, xTest, yTrain, yTest) = try DataSplit.trainTestSplit(x: x, y: y, testFraction: 0.2,
///                                                                   seed: 7, stratify: true)
/// ```
public enum DataSplit {
    /// Index lists of the parts of a split of `count` examples.
    ///
    /// - Parameters:
    ///   - fractions: the share of each part; each in [0, 1], adding up to 1.
    ///   - seed: the seed of the shuffle.
    ///   - labels: class ids (one per example) to stratify by, or nil.
    /// - Throws: ``PreprocessingError/invalidFractions(_:)``, ``PreprocessingError/splitTooSmall(part:fraction:count:)``,
    ///   or ``PreprocessingError/invalidStratifyLabels(reason:)``.
    public static func indices(count: Int, fractions: [Double], seed: UInt64, stratifyBy labels: [Int]? = nil) throws -> [[Int]] {
        guard !fractions.isEmpty, fractions.allSatisfy({ $0 >= 0 && $0 <= 1 }),
              abs(fractions.reduce(0, +) - 1) < 1e-9 else { throw PreprocessingError.invalidFractions(fractions) }
        let sizes = apportion(count, fractions)
        for (part, size) in sizes.enumerated() where size == 0 && fractions[part] > 0 {
            throw PreprocessingError.splitTooSmall(part: part, fraction: fractions[part], count: count)
        }
        var generator = ShuffleGenerator(seed: seed)
        guard let labels else {
            let order = generator.permutation(count)
            var parts: [[Int]] = [], start = 0
            for size in sizes { parts.append(Array(order[start..<start + size])); start += size }
            return parts
        }
        guard labels.count == count else {
            throw PreprocessingError.invalidStratifyLabels(reason: "\(labels.count) labels for \(count) examples")
        }
        var byClass: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
        let classes = byClass.keys.sorted()
        let allocation = stratifiedCounts(classes.map { byClass[$0]!.count }, sizes: sizes, fractions: fractions)
        var parts = [[Int]](repeating: [], count: sizes.count)
        for (c, label) in classes.enumerated() {
            var members = byClass[label]!
            generator.shuffle(&members)
            var start = 0
            for part in 0..<sizes.count {
                parts[part] += members[start..<start + allocation[c][part]]
                start += allocation[c][part]
            }
        }
        for part in parts.indices { generator.shuffle(&parts[part]) }
        return parts
    }

    /// Splits features and targets into a training and a test part (scikit-learn's order of results).
    public static func trainTestSplit(x: Tensor, y: Tensor, testFraction: Double = 0.25, seed: UInt64 = 0,
                                      stratify: Bool = false) throws -> (xTrain: Tensor, xTest: Tensor, yTrain: Tensor, yTest: Tensor) {
        let parts = try split(x: x, y: y, fractions: [1 - testFraction, testFraction], seed: seed, stratify: stratify)
        return (parts[0].x, parts[1].x, parts[0].y, parts[1].y)
    }

    /// Splits features and targets into training, validation and test datasets.
    public static func trainValidationTestSplit(x: Tensor, y: Tensor, validationFraction: Double, testFraction: Double,
                                                seed: UInt64 = 0, stratify: Bool = false) throws
        -> (train: TensorDataset, validation: TensorDataset, test: TensorDataset) {
        let fractions = [1 - validationFraction - testFraction, validationFraction, testFraction]
        let parts = try split(x: x, y: y, fractions: fractions, seed: seed, stratify: stratify)
        return (parts[0], parts[1], parts[2])
    }

    /// Splits the rows of a table; `stratifyBy` names a label column.
    public static func trainTestSplit(_ table: DataTable, testFraction: Double = 0.25, seed: UInt64 = 0,
                                      stratifyBy column: String? = nil) throws -> (train: DataTable, test: DataTable) {
        var labels: [Int]?
        if let column {
            let values = try table.column(named: column).textValues
            if let row = values.firstIndex(where: { $0 == nil }) {
                throw PreprocessingError.missingCategory(column: column, row: row + 1)
            }
            let ids = Dictionary(Set(values.compactMap { $0 }).sorted().enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            labels = values.map { ids[$0!]! }
        }
        let parts = try indices(count: table.rowCount, fractions: [1 - testFraction, testFraction], seed: seed, stratifyBy: labels)
        return (try table.rows(parts[0]), try table.rows(parts[1]))
    }

    // MARK: Helpers

    private static func split(x: Tensor, y: Tensor, fractions: [Double], seed: UInt64, stratify: Bool) throws -> [TensorDataset] {
        guard x.rank >= 1, y.rank >= 1, x.shape[0] == y.shape[0] else {
            throw PreprocessingError.rowCountMismatch(xShape: x.shape, yShape: y.shape)
        }
        let labels = stratify ? try classIDs(y) : nil
        let data = try TensorDataset(x: x, y: y)
        return try indices(count: x.shape[0], fractions: fractions, seed: seed, stratifyBy: labels).map { try data.subset($0) }
    }

    /// Class ids from labels `[N]`, `[N, 1]`, or one-hot / score rows `[N, C]` (arg-max).
    static func classIDs(_ y: Tensor) throws -> [Int] {
        let n = y.shape[0]
        let width = y.shape.dropFirst().reduce(1, *)
        let values = y.scalars
        if width == 1 {
            guard values.allSatisfy({ $0 == $0.rounded() }) else {
                throw PreprocessingError.invalidStratifyLabels(reason: "labels of shape \(y.shape) are not whole numbers")
            }
            return values.map { Int($0) }
        }
        return (0..<n).map { i in
            let row = values[(i * width)..<((i + 1) * width)]
            return row.indices.max { row[$0] < row[$1] }! - i * width
        }
    }

    /// Sizes that add up to `count`, proportional to `fractions` (largest remainder; later parts win ties).
    static func apportion(_ count: Int, _ fractions: [Double]) -> [Int] {
        let ideal = fractions.map { $0 * Double(count) }
        var sizes = ideal.map { Int($0.rounded(.down)) }
        let order = ideal.indices.sorted { a, b in
            let ra = ideal[a] - Double(sizes[a]), rb = ideal[b] - Double(sizes[b])
            return ra != rb ? ra > rb : a > b
        }
        var left = count - sizes.reduce(0, +)
        var k = 0
        while left > 0 {
            let part = order[k % order.count]
            if fractions[part] > 0 { sizes[part] += 1; left -= 1 }
            k += 1
        }
        return sizes
    }

    /// Per class and part counts whose part totals equal `sizes` and whose class totals equal `classCounts`.
    private static func stratifiedCounts(_ classCounts: [Int], sizes: [Int], fractions: [Double]) -> [[Int]] {
        var allocation = classCounts.map { _ in [Int](repeating: 0, count: sizes.count) }
        var remaining = classCounts
        for part in 0..<(sizes.count - 1) {
            let ideal = classCounts.map { Double($0) * fractions[part] }
            for c in classCounts.indices { allocation[c][part] = min(Int(ideal[c].rounded(.down)), remaining[c]) }
            var deficit = sizes[part] - allocation.reduce(0) { $0 + $1[part] }
            let order = classCounts.indices.sorted { a, b in
                let ra = ideal[a] - Double(allocation[a][part]), rb = ideal[b] - Double(allocation[b][part])
                return ra != rb ? ra > rb : a < b
            }
            while deficit > 0 {
                var progressed = false
                for c in order where deficit > 0 && remaining[c] > allocation[c][part] {
                    allocation[c][part] += 1
                    deficit -= 1
                    progressed = true
                }
                if !progressed { break }
            }
            for c in classCounts.indices { remaining[c] -= allocation[c][part] }
        }
        for c in classCounts.indices { allocation[c][sizes.count - 1] = remaining[c] }
        return allocation
    }
}
