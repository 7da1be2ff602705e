import KouziTensor

/// A preprocessing step that learns statistics from a feature matrix `[rows, features]` and applies them.
///
/// Conforming types are `Codable`, so a fitted step can be stored next to a model and reapplied at
/// inference time.
public protocol FeatureTransformer: Codable, Sendable {
    /// Learns the step's statistics from `x`.
    mutating func fit(_ x: Tensor) throws
    /// Applies the learned statistics to `x`.
    func transform(_ x: Tensor) throws -> Tensor
}

extension FeatureTransformer {
    /// Fits on `x` and returns `x` transformed.
    public mutating func fitTransform(_ x: Tensor) throws -> Tensor {
        try fit(x)
        return try transform(x)
    }
}

/// Shared checks and loops over float32 feature matrices.
enum FeatureMatrix {
    /// The rows and features of `x`, which must be a float32 matrix.
    static func dimensions(_ x: Tensor, _ transformer: String) throws -> (rows: Int, features: Int) {
        guard x.rank == 2, x.dtype == .float32 else {
            throw PreprocessingError.expectedMatrix(transformer: transformer, shape: x.shape, dtype: x.dtype)
        }
        return (x.shape[0], x.shape[1])
    }

    /// Checks that `x` is a float32 matrix with `fitted` features (and that the step was fitted).
    static func check(_ x: Tensor, fitted: Int?, _ transformer: String) throws -> (rows: Int, features: Int) {
        guard let fitted else { throw PreprocessingError.notFitted(transformer: transformer) }
        let dims = try dimensions(x, transformer)
        guard dims.features == fitted else {
            throw PreprocessingError.featureCountMismatch(transformer: transformer, fitted: fitted, got: dims.features)
        }
        return dims
    }

    /// The non-NaN values of every feature, as Doubles.
    static func columns(_ x: Tensor, rows: Int, features: Int) -> [[Double]] {
        var columns = [[Double]](repeating: [], count: features)
        x.withUnsafeFloats { p in
            for j in 0..<features {
                columns[j].reserveCapacity(rows)
                for i in 0..<rows where !p[i * features + j].isNaN { columns[j].append(Double(p[i * features + j])) }
            }
        }
        return columns
    }

    /// `x * scale + shift` per feature; NaN stays NaN.
    static func affine(_ x: Tensor, scale: [Double], shift: [Double]) -> Tensor {
        let features = scale.count
        let scalars = x.withUnsafeFloats { p in
            [Float](unsafeUninitializedCapacity: p.count) { out, initialized in
                for k in 0..<p.count {
                    let j = k % features
                    out[k] = Float(Double(p[k]) * scale[j] + shift[j])
                }
                initialized = p.count
            }
        }
        return Tensor(shape: x.shape, scalars: scalars)
    }

    /// Name of feature `j` in messages.
    static func featureName(_ j: Int) -> String { "feature \(j)" }
}
