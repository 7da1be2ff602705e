/// A training part and a test part of one ``InteractionDataset`` that share its id maps.
public struct TrainTestSplit: Sendable {
    /// The interactions to fit on.
    public let train: InteractionDataset
    /// The held-out interactions.
    public let test: InteractionDataset
}

/// Ways to split interactions for evaluation.
public enum Splitter {
    /// Random k-fold cross-validation: interactions are shuffled with `seed` and cut into `folds` parts of
    /// nearly equal size; fold `f` tests on part `f` and trains on the rest (as Surprise's `KFold`).
    ///
    /// - Throws: ``RecError/invalidParameter(name:value:reason:)`` unless `2 ≤ folds ≤ count`.
    public static func kFold(_ data: InteractionDataset, folds: Int = 5, seed: UInt64 = 0) throws(RecError) -> [TrainTestSplit] {
        try require(folds >= 2 && folds <= data.count, "folds", folds, "needs 2 ≤ folds ≤ \(data.count) interactions")
        var order = Array(0..<data.count)
        var rng = RecRandom(seed: seed)
        rng.shuffle(&order)
        var splits: [TrainTestSplit] = []
        for f in 0..<folds {
            let lo = f * data.count / folds, hi = (f + 1) * data.count / folds
            let test = Array(order[lo..<hi])
            let train = Array(order[0..<lo]) + Array(order[hi...])
            splits.append(TrainTestSplit(train: data.subset(train), test: data.subset(test)))
        }
        return splits
    }

    /// A random ratio split: a `trainFraction` share of interactions (shuffled with `seed`) trains.
    ///
    /// - Throws: unless `0 < trainFraction < 1` and the data has at least two interactions.
    public static func ratio(_ data: InteractionDataset, trainFraction: Double = 0.8, seed: UInt64 = 0) throws(RecError) -> TrainTestSplit {
        try require(trainFraction > 0 && trainFraction < 1, "trainFraction", trainFraction, "needs 0 < fraction < 1")
        guard data.count >= 2 else { throw RecError.empty(what: "data set to split (needs ≥ 2 interactions)") }
        var order = Array(0..<data.count)
        var rng = RecRandom(seed: seed)
        rng.shuffle(&order)
        let cut = min(max(Int((Double(data.count) * trainFraction).rounded()), 1), data.count - 1)
        return TrainTestSplit(train: data.subset(Array(order[..<cut])), test: data.subset(Array(order[cut...])))
    }

    /// Per-user temporal leave-last-out: for every user with at least `minimumHistory` interactions, the
    /// latest `holdOut` of them (by timestamp, ties broken by position) go to test, the rest to train.
    /// Users with shorter histories stay whole in train.
    public static func leaveLastOut(_ data: InteractionDataset, holdOut: Int = 1, minimumHistory: Int = 2) throws(RecError) -> TrainTestSplit {
        try require(holdOut >= 1, "holdOut", holdOut, "needs at least one held-out interaction per user")
        try require(minimumHistory > holdOut, "minimumHistory", minimumHistory, "must exceed holdOut (\(holdOut))")
        guard !data.isEmpty else { throw RecError.empty(what: "data set to split") }
        var byUser = [[Int]](repeating: [], count: data.users.count)
        for r in 0..<data.count { byUser[Int(data.userIndices[r])].append(r) }
        var train: [Int] = [], test: [Int] = []
        for rows in byUser {
            if rows.count < minimumHistory { train += rows; continue }
            let sorted = rows.sorted { (data.timestamps[$0], $0) < (data.timestamps[$1], $1) }
            train += sorted.dropLast(holdOut)
            test += sorted.suffix(holdOut)
        }
        return TrainTestSplit(train: data.subset(train.sorted()), test: data.subset(test.sorted()))
    }
}
