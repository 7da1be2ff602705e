/// The result of k-fold cross-validation of one rating model.
public struct CrossValidationResult: Sendable {
    /// The model's name.
    public let name: String
    /// RMSE of each fold.
    public let rmse: [Double]
    /// MAE of each fold.
    public let mae: [Double]
    /// Seconds spent fitting, per fold.
    public let fitSeconds: [Double]
    /// Seconds spent predicting the test fold, per fold.
    public let testSeconds: [Double]

    /// The mean RMSE over folds.
    public var meanRMSE: Double { rmse.reduce(0, +) / Double(max(rmse.count, 1)) }
    /// The mean MAE over folds.
    public var meanMAE: Double { mae.reduce(0, +) / Double(max(mae.count, 1)) }
    /// Total seconds (fit + test) over all folds.
    public var totalSeconds: Double { fitSeconds.reduce(0, +) + testSeconds.reduce(0, +) }
}

/// k-fold cross-validation of explicit rating models.
public enum CrossValidation {
    /// Fits a fresh model from `makeModel` on each training fold and measures RMSE/MAE on its test fold.
    public static func run(_ makeModel: () -> any RatingPredictor, on splits: [TrainTestSplit]) throws(RecError) -> CrossValidationResult {
        guard !splits.isEmpty else { throw RecError.empty(what: "list of splits") }
        var rmse: [Double] = [], mae: [Double] = [], fit: [Double] = [], test: [Double] = []
        var name = ""
        for split in splits {
            let model = makeModel()
            name = model.name
            let t0 = monotonicSeconds()
            try model.fit(split.train)
            let t1 = monotonicSeconds()
            let a = try model.accuracy(on: split.test)
            let t2 = monotonicSeconds()
            rmse.append(a.rmse); mae.append(a.mae); fit.append(t1 - t0); test.append(t2 - t1)
        }
        return CrossValidationResult(name: name, rmse: rmse, mae: mae, fitSeconds: fit, testSeconds: test)
    }
}
