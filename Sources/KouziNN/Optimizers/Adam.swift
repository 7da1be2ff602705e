import KouziBase
import CKernels

/// Adam with bias correction and optional L2 weight decay added to the gradient.
///
/// Rule (as `torch.optim.Adam`): `g ← g + λθ`, `m ← β₁m + (1 − β₁)g`, `v ← β₂v + (1 − β₂)g²`,
/// `θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)`.
public class Adam: Optimizer, @unchecked Sendable {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, clipNorm: Float? = nil, clipValue: Float? = nil) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        super.init(learningRate: learningRate, clipNorm: clipNorm, clipValue: clipValue)
    }

    public override var name: String { "adam" }
    public override var options: [String: Double] {
        ["learning_rate": Double(learningRate), "beta1": Double(beta1), "beta2": Double(beta2),
         "epsilon": Double(epsilon), "weight_decay": Double(weightDecay)]
    }
    public override var stateBufferCount: Int { 2 }

    /// Whether weight decay is decoupled from the gradient (AdamW).
    var decoupled: Bool { false }

    public override func apply(step: Int, parameter p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
                               count n: Int, state: OptimizerState) {
        let m = state[0], v = state[1]
        let b1 = beta1, b2 = beta2, eps = epsilon
        let bc1 = 1 - Float(pow(Double(b1), Double(step)))
        let bc2 = 1 - Float(pow(Double(b2), Double(step)))
        let stepSize = learningRate / bc1
        let invSqrtBc2 = 1 / bc2.squareRoot()
        let l2 = decoupled ? 0 : weightDecay
        if decoupled && weightDecay != 0 {
            let shrink = 1 - learningRate * weightDecay
            for i in 0..<n { p[i] *= shrink }
        }
        kz_adam(p, g, m, v, n, b1, b2, stepSize, invSqrtBc2, eps, l2)
    }
}

/// Adam with decoupled weight decay (as `torch.optim.AdamW`): `θ ← θ(1 − ηλ)` before the Adam step.
public final class AdamW: Adam, @unchecked Sendable {
    public override init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                         weightDecay: Float = 0.01, clipNorm: Float? = nil, clipValue: Float? = nil) {
        super.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                   weightDecay: weightDecay, clipNorm: clipNorm, clipValue: clipValue)
    }
    public override var name: String { "adamw" }
    override var decoupled: Bool { true }
}
