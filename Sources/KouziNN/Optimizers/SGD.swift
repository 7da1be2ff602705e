import CKernels

/// Stochastic gradient descent with optional momentum, Nesterov momentum, dampening and L2 weight decay.
///
/// Rule (as PyTorch's `torch.optim.SGD`): `g ← g + λθ`; with momentum μ, `b ← g` on the first step and
/// `b ← μb + (1 − τ)g` after; `g ← g + μb` (Nesterov) or `g ← b`; then `θ ← θ − η g`.
public final class SGD: Optimizer, @unchecked Sendable {
    public var momentum: Float
    public var nesterov: Bool
    public var dampening: Float
    public var weightDecay: Float

    public init(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false, dampening: Float = 0,
                weightDecay: Float = 0, clipNorm: Float? = nil, clipValue: Float? = nil) {
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum needs momentum > 0 and no dampening")
        self.momentum = momentum
        self.nesterov = nesterov
        self.dampening = dampening
        self.weightDecay = weightDecay
        super.init(learningRate: learningRate, clipNorm: clipNorm, clipValue: clipValue)
    }

    public override var name: String { "sgd" }
    public override var options: [String: Double] {
        ["learning_rate": Double(learningRate), "momentum": Double(momentum), "nesterov": nesterov ? 1 : 0,
         "dampening": Double(dampening), "weight_decay": Double(weightDecay)]
    }
    public override var stateBufferCount: Int { 1 }

    public override func apply(step: Int, parameter p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
                               count n: Int, state: OptimizerState) {
        if momentum == 0 {
            kz_sgd(p, g, n, learningRate, weightDecay)
        } else {
            kz_sgd_momentum(p, g, state[0], n, learningRate, weightDecay, momentum, dampening, nesterov ? 1 : 0, step == 1 ? 1 : 0)
        }
    }
}
