import KouziTensor

/// Scales each feature linearly so the fitted minimum maps to `lower` and the maximum to `upper`.
///
/// A constant feature maps to `lower`. NaN values are ignored when fitting and stay NaN. Values outside
/// the fitted range map outside the feature range (no clipping).
public struct MinMaxScaler: FeatureTransformer, Equatable {
    /// The lower end of the target range.
    public var lower: Double
    /// The upper end of the target range.
    public var upper: Double
    /// Per-feature minima learned by ``fit(_:)``; empty before.
    public private(set) var dataMin: [Double] = []
    /// Per-feature maxima learned by ``fit(_:)``; empty before.
    public private(set) var dataMax: [Double] = []
    private var featureCount: Int?

    /// Creates an unfitted scaler targeting `featureRange` (default 0...1).
    public init(featureRange: ClosedRange<Double> = 0...1) {
        lower = featureRange.lowerBound
        upper = featureRange.upperBound
    }

    /// Learns the minimum and maximum of every feature.
    public mutating func fit(_ x: Tensor) throws {
        guard lower < upper else { throw PreprocessingError.invalidFeatureRange(lower: lower, upper: upper) }
        let (rows, features) = try FeatureMatrix.dimensions(x, "MinMaxScaler")
        guard rows > 0 else { throw PreprocessingError.emptyInput(transformer: "MinMaxScaler") }
        var mins: [Double] = [], maxs: [Double] = []
        for (j, values) in FeatureMatrix.columns(x, rows: rows, features: features).enumerated() {
            guard let lo = values.min(), let hi = values.max() else {
                throw PreprocessingError.allMissing(transformer: "MinMaxScaler", feature: FeatureMatrix.featureName(j))
            }
            mins.append(lo)
            maxs.append(hi)
        }
        dataMin = mins
        dataMax = maxs
        featureCount = features
    }

    private var coefficients: (scale: [Double], shift: [Double]) {
        let scale = zip(dataMin, dataMax).map { lo, hi in (upper - lower) / (hi > lo ? hi - lo : 1) }
        let shift = zip(dataMin, scale).map { lower - $0 * $1 }
        return (scale, shift)
    }

    /// Scales `x` into the feature range.
    public func transform(_ x: Tensor) throws -> Tensor {
        _ = try FeatureMatrix.check(x, fitted: featureCount, "MinMaxScaler")
        let (scale, shift) = coefficients
        return FeatureMatrix.affine(x, scale: scale, shift: shift)
    }

    /// Maps scaled values back to the original units.
    public func inverseTransform(_ x: Tensor) throws -> Tensor {
        _ = try FeatureMatrix.check(x, fitted: featureCount, "MinMaxScaler")
        let (scale, shift) = coefficients
        return FeatureMatrix.affine(x, scale: scale.map { 1 / $0 }, shift: zip(shift, scale).map { -$0 / $1 })
    }
}
