import CKernels

/// RMSprop (as `torch.optim.RMSprop`): `v ← αv + (1 − α)g²`; centred variant subtracts the squared
/// running mean of g; with momentum `b ← μb + g/(√v + ε)`, `θ ← θ − ηb`, else `θ ← θ − η g/(√v + ε)`.
public final class RMSprop: Optimizer, @unchecked Sendable {
    public var alpha: Float
    public var epsilon: Float
    public var momentum: Float
    public var centered: Bool
    public var weightDecay: Float

    public init(learningRate: Float = 0.01, alpha: Float = 0.99, epsilon: Float = 1e-8, momentum: Float = 0,
                centered: Bool = false, weightDecay: Float = 0, clipNorm: Float? = nil, clipValue: Float? = nil) {
        self.alpha = alpha
        self.epsilon = epsilon
        self.momentum = momentum
        self.centered = centered
        self.weightDecay = weightDecay
        super.init(learningRate: learningRate, clipNorm: clipNorm, clipValue: clipValue)
    }

    public override var name: String { "rmsprop" }
    public override var options: [String: Double] {
        ["learning_rate": Double(learningRate), "alpha": Double(alpha), "epsilon": Double(epsilon),
         "momentum": Double(momentum), "centered": centered ? 1 : 0, "weight_decay": Double(weightDecay)]
    }
    public override var stateBufferCount: Int { 3 }

    public override func apply(step: Int, parameter p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
                               count n: Int, state: OptimizerState) {
        kz_rmsprop(p, g, state[0], state[1], state[2], n, learningRate, alpha, epsilon, momentum, centered ? 1 : 0, weightDecay)
    }
}

/// AdaGrad (as `torch.optim.Adagrad`): `η_t = η / (1 + (t − 1)·decay)`, `s ← s + g²`, `θ ← θ − η_t g/(√s + ε)`.
public final class AdaGrad: Optimizer, @unchecked Sendable {
    public var learningRateDecay: Float
    public var epsilon: Float
    public var initialAccumulator: Float
    public var weightDecay: Float

    public init(learningRate: Float = 0.01, learningRateDecay: Float = 0, epsilon: Float = 1e-10,
                initialAccumulator: Float = 0, weightDecay: Float = 0, clipNorm: Float? = nil, clipValue: Float? = nil) {
        self.learningRateDecay = learningRateDecay
        self.epsilon = epsilon
        self.initialAccumulator = initialAccumulator
        self.weightDecay = weightDecay
        super.init(learningRate: learningRate, clipNorm: clipNorm, clipValue: clipValue)
    }

    public override var name: String { "adagrad" }
    public override var options: [String: Double] {
        ["learning_rate": Double(learningRate), "lr_decay": Double(learningRateDecay), "epsilon": Double(epsilon),
         "initial_accumulator_value": Double(initialAccumulator), "weight_decay": Double(weightDecay)]
    }
    public override var stateBufferCount: Int { 1 }

    public override func apply(step: Int, parameter p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
                               count n: Int, state: OptimizerState) {
        let s = state[0]
        if step == 1 && initialAccumulator != 0 { for i in 0..<n { s[i] = initialAccumulator } }
        let clr = learningRate / (1 + Float(step - 1) * learningRateDecay)
        kz_adagrad(p, g, s, n, clr, epsilon, weightDecay)
    }
}
