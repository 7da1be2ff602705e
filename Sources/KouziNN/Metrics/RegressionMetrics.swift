import KouziTensor

/// Mean squared error, mean absolute error or the coefficient of determination R².
public final class RegressionMetric: Metric {
    public enum Kind: String, Sendable { case mse, mae, r2 }
    public let kind: Kind
    private var n: Double = 0, sumY: Double = 0, sumY2: Double = 0, sse: Double = 0, sae: Double = 0

    public init(_ kind: Kind) { self.kind = kind }
    public var name: String { kind.rawValue }
    public func reset() { n = 0; sumY = 0; sumY2 = 0; sse = 0; sae = 0 }

    public func update(predictions: Tensor, targets: Tensor) throws {
        guard predictions.count == targets.count, predictions.shape.first == targets.shape.first else {
            throw NNError.targetMismatch(loss: name, predictions: predictions.shape, targets: targets.shape)
        }
        for (p, y) in zip(predictions.scalars, targets.scalars) {
            let e = Double(p) - Double(y)
            sse += e * e; sae += Swift.abs(e)
            sumY += Double(y); sumY2 += Double(y) * Double(y); n += 1
        }
    }

    public func result() -> Float {
        guard n > 0 else { return 0 }
        switch kind {
        case .mse: return Float(sse / n)
        case .mae: return Float(sae / n)
        case .r2:
            let sst = sumY2 - sumY * sumY / n
            return sst <= 0 ? 0 : Float(1 - sse / sst)
        }
    }
}
