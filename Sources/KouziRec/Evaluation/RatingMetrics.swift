/// Error metrics for explicit rating prediction. Definitions (n = number of test ratings, r̂ the prediction):
///
/// - RMSE = √( (1/n) Σ (r̂ − r)² )
/// - MAE  = (1/n) Σ |r̂ − r|
public enum RatingMetrics {
    /// Root mean squared error; 0 for empty input.
    public static func rmse(predicted: [Double], actual: [Double]) -> Double {
        let n = min(predicted.count, actual.count)
        guard n > 0 else { return 0 }
        var s = 0.0
        for k in 0..<n { let d = predicted[k] - actual[k]; s += d * d }
        return (s / Double(n)).squareRoot()
    }

    /// Mean absolute error; 0 for empty input.
    public static func mae(predicted: [Double], actual: [Double]) -> Double {
        let n = min(predicted.count, actual.count)
        guard n > 0 else { return 0 }
        var s = 0.0
        for k in 0..<n { s += abs(predicted[k] - actual[k]) }
        return s / Double(n)
    }
}
