import KouziTensor

/// Standardises each feature to zero mean and unit variance: `(x - mean) / std`.
///
/// Uses the population standard deviation (as scikit-learn does). A constant feature keeps scale 1.
/// NaN values are ignored when fitting and stay NaN.
///
/// ```swift
/// var scaler = StandardScaler()
/// let xTrain = try scaler.fitTransform(rawTrain)
/// let xTest = try scaler.transform(rawTest)
/// ```
public struct StandardScaler: FeatureTransformer, Equatable {
    /// Whether to subtract the mean.
    public var withMean: Bool
    /// Whether to divide by the standard deviation.
    public var withStd: Bool
    /// The per-feature means learned by ``fit(_:)``; empty before.
    public private(set) var mean: [Double] = []
    /// The per-feature divisors learned by ``fit(_:)`` (standard deviation, or 1); empty before.
    public private(set) var scale: [Double] = []
    private var featureCount: Int?

    /// Creates an unfitted scaler.
    public init(withMean: Bool = true, withStd: Bool = true) {
        self.withMean = withMean
        self.withStd = withStd
    }

    /// Learns the mean and standard deviation of every feature.
    public mutating func fit(_ x: Tensor) throws {
        let (rows, features) = try FeatureMatrix.dimensions(x, "StandardScaler")
        guard rows > 0 else { throw PreprocessingError.emptyInput(transformer: "StandardScaler") }
        var means: [Double] = [], scales: [Double] = []
        for (j, values) in FeatureMatrix.columns(x, rows: rows, features: features).enumerated() {
            guard !values.isEmpty else {
                throw PreprocessingError.allMissing(transformer: "StandardScaler", feature: FeatureMatrix.featureName(j))
            }
            let m = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)
            let std = variance.squareRoot()
            means.append(m)
            scales.append(std > 1e-12 * max(1, abs(m)) ? std : 1)
        }
        mean = means
        scale = scales
        featureCount = features
    }

    /// Standardises `x` with the learned statistics.
    public func transform(_ x: Tensor) throws -> Tensor {
        _ = try FeatureMatrix.check(x, fitted: featureCount, "StandardScaler")
        let factor = scale.map { withStd ? 1 / $0 : 1 }
        let shift = zip(mean, factor).map { withMean ? -$0 * $1 : 0 }
        return FeatureMatrix.affine(x, scale: factor, shift: shift)
    }

    /// Maps standardised values back to the original units.
    public func inverseTransform(_ x: Tensor) throws -> Tensor {
        _ = try FeatureMatrix.check(x, fitted: featureCount, "StandardScaler")
        let factor = scale.map { withStd ? $0 : 1 }
        let shift = mean.map { withMean ? $0 : 0 }
        return FeatureMatrix.affine(x, scale: factor, shift: shift)
    }
}
