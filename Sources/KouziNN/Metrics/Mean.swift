import KouziTensor

/// The running mean of values a training step reports (a GAN's two losses, a distillation term): update it every
/// step, return ``result()`` from ``Model/trainStep(_:)``; `fit` resets it every epoch when the model stores it.
///
/// ```swift
/// let generatorLoss = Mean(name: "g_loss")
/// generatorLoss.update(loss.item, weight: Float(batch.count))
/// return ["g_loss": generatorLoss.result()]
/// ```
public final class Mean: Metric, @unchecked Sendable {
    public let name: String
    private var sum: Double = 0
    private var weight: Double = 0

    /// A mean named `name` in the logs.
    public init(name: String) { self.name = name }

    public func reset() { sum = 0; weight = 0 }

    /// Adds `value` with `weight` (the batch size, for a mean over examples).
    public func update(_ value: Float, weight: Float = 1) {
        sum += Double(value) * Double(weight)
        self.weight += Double(weight)
    }

    /// Adds the mean of `predictions` (the targets are not used).
    public func update(predictions: Tensor, targets: Tensor) throws {
        update(predictions.mean().item, weight: Float(predictions.shape.first ?? 1))
    }

    public func result() -> Float { weight > 0 ? Float(sum / weight) : 0 }
}
