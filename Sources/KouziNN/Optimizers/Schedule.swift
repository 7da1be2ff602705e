import KouziBase

/// A learning-rate schedule: the rate for a step (or epoch) count given the base rate.
public enum LearningRateSchedule: Sendable, Equatable {
    /// Constant rate.
    case constant
    /// `base · γ^⌊t / stepSize⌋` (PyTorch `StepLR`).
    case step(stepSize: Int, gamma: Float)
    /// `base · γ^t` (PyTorch `ExponentialLR`).
    case exponential(gamma: Float)
    /// `min + (base − min)(1 + cos(π t / T))/2`; past T it rises again along the same cosine, exactly
    /// as PyTorch's `CosineAnnealingLR`.
    case cosine(period: Int, minimum: Float)
    /// Linear ramp from `startFactor · base` to base over `steps`, then `after`.
    indirect case linearWarmup(steps: Int, startFactor: Float, then: LearningRateSchedule)

    /// The learning rate at `t` (0-based).
    public func rate(at t: Int, base: Float) -> Float {
        switch self {
        case .constant: return base
        case let .step(size, gamma): return base * Float(pow(Double(gamma), Double(t / Swift.max(size, 1))))
        case let .exponential(gamma): return base * Float(pow(Double(gamma), Double(t)))
        case let .cosine(period, minimum):
            let tt = Double(t)
            return minimum + (base - minimum) * Float((1 + cos(Double.pi * tt / Double(Swift.max(period, 1)))) / 2)
        case let .linearWarmup(steps, start, then):
            if t < steps { return base * (start + (1 - start) * Float(t) / Float(Swift.max(steps, 1))) }
            return then.rate(at: t - steps, base: base)
        }
    }
}
