import Foundation
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// Reference numbers written by `scripts/make_fixtures.py` (PyTorch).
struct TorchReference: Decodable {
    struct OptimizerCase: Decodable {
        let optimizer: String
        let options: [String: OptionValue]
        let shape: [Int]
        let initial: [Float]
        let gradients: [[Float]]
        let after: [[Float]]
    }
    enum OptionValue: Decodable {
        case number(Double), pair([Double])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) { self = .number(d) } else { self = .pair(try c.decode([Double].self)) }
        }
    }
    struct Clip: Decodable {
        let a, b, ga, gb, a_after, b_after: [Float]
        let max_norm, lr: Float
    }
    struct Schedules: Decodable {
        let base: Float
        let step, exponential, cosine, linear_warmup: [Float]
    }
    struct LossCase: Decodable {
        let loss: String
        let options: [String: Double]
        let pred_shape, target_shape: [Int]
        let pred, target, grad: [Float]
        let sparse: Bool
        let value: Float
    }
    struct ActivationValues: Decodable { let y, grad: [Float] }

    let optimizers: [OptimizerCase]
    let clip_grad_norm: Clip
    let schedules: Schedules
    let losses: [LossCase]
    let activations: [String: ActivationField]

    enum ActivationField: Decodable {
        case values(ActivationValues), list([Float]), text(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(ActivationValues.self) { self = .values(v) }
            else if let l = try? c.decode([Float].self) { self = .list(l) }
            else { self = .text(try c.decode(String.self)) }
        }
    }

    static let shared: TorchReference = {
        let path = repositoryRoot() + "/Tests/KouziNNTests/Fixtures/torch_reference.json"
        let data = FileManager.default.contents(atPath: path)!
        return try! JSONDecoder().decode(TorchReference.self, from: data)
    }()
}

/// |a − b| ≤ rtol·|b| + atol elementwise.
func expectRelative(_ a: [Float], _ b: [Float], rtol: Float = 1e-6, atol: Float = 1e-7, _ what: String,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "\(what): \(a.count) vs \(b.count) values", sourceLocation: sourceLocation)
    for (i, (x, y)) in zip(a, b).enumerated() where Swift.abs(x - y) > rtol * Swift.abs(y) + atol {
        Issue.record("\(what): element \(i) is \(x), PyTorch has \(y)", sourceLocation: sourceLocation)
        return
    }
}

@Suite("PyTorch parity: optimisers, schedules, losses, activations")
struct TorchParityTests {
    let ref = TorchReference.shared

    func makeOptimizer(_ c: TorchReference.OptimizerCase) throws -> Optimizer {
        var opts: [String: Double] = [:]
        for (k, v) in c.options {
            switch (k, v) {
            case ("lr", .number(let x)): opts["learning_rate"] = x
            case ("betas", .pair(let p)): opts["beta1"] = p[0]; opts["beta2"] = p[1]
            case ("eps", .number(let x)): opts["epsilon"] = x
            case (_, .number(let x)): opts[k] = x
            default: break
            }
        }
        return try Optimizer.named(c.optimizer, options: opts)
    }

    @Test func optimiserStepsMatchPyTorch() throws {
        #expect(ref.optimizers.count >= 13)
        for c in ref.optimizers {
            let opt = try makeOptimizer(c)
            let p = Parameter(Tensor(shape: c.shape, scalars: c.initial))
            for (step, g) in c.gradients.enumerated() {
                p.zeroGrad()
                p.value.grad = Tensor(shape: c.shape, scalars: g)
                opt.step([p])
                expectRelative(p.value.scalars, c.after[step], rtol: 1e-6, atol: 2e-7,
                               "\(c.optimizer) \(c.options.keys.sorted()) step \(step + 1)")
            }
        }
    }

    @Test func gradientNormClippingMatchesPyTorch() {
        let c = ref.clip_grad_norm
        let a = Parameter(Tensor(shape: [2, 3], scalars: c.a)), b = Parameter(Tensor(shape: [4], scalars: c.b))
        a.value.grad = Tensor(shape: [2, 3], scalars: c.ga)
        b.value.grad = Tensor(shape: [4], scalars: c.gb)
        SGD(learningRate: c.lr, clipNorm: c.max_norm).step([a, b])
        expectRelative(a.value.scalars, c.a_after, "clipped a")
        expectRelative(b.value.scalars, c.b_after, "clipped b")
    }

    @Test func schedulesMatchPyTorch() {
        let s = ref.schedules
        func rates(_ sch: LearningRateSchedule) -> [Float] { (0..<s.step.count).map { sch.rate(at: $0, base: s.base) } }
        expectRelative(rates(.step(stepSize: 3, gamma: 0.5)), s.step, "StepLR")
        expectRelative(rates(.exponential(gamma: 0.9)), s.exponential, "ExponentialLR")
        expectRelative(rates(.cosine(period: 8, minimum: 0.01)), s.cosine, rtol: 1e-5, "CosineAnnealingLR")
        expectRelative(rates(.linearWarmup(steps: 4, startFactor: 0.25, then: .constant)), s.linear_warmup, rtol: 1e-5, "LinearLR")
    }

    @Test func lossesAndTheirGradientsMatchPyTorch() throws {
        for c in ref.losses {
            let loss = try Loss(named: c.loss, options: c.options)
            var p = Tensor(shape: c.pred_shape, scalars: c.pred)
            p.requiresGrad = true
            let t = c.sparse ? Tensor(shape: c.target_shape, values: c.target.map { Int64($0) })
                             : Tensor(shape: c.target_shape, scalars: c.target)
            let v = try loss(p, t)
            v.backward()
            let what = "\(c.loss) \(c.options)"
            expectRelative([v.item], [c.value], rtol: 1e-5, atol: 1e-6, what + " value")
            expectRelative(p.grad!.scalars, c.grad, rtol: 1e-4, atol: 1e-6, what + " gradient")
        }
    }

    @Test func activationsMatchPyTorch() throws {
        guard case .list(let x) = ref.activations["x"]! else { Issue.record("no x"); return }
        for name in ["relu", "sigmoid", "tanh", "leaky_relu", "gelu", "softplus"] {
            guard case .values(let v) = ref.activations[name]! else { continue }
            var t = Tensor(x)
            t.requiresGrad = true
            let y = try Activation(named: name)(t)
            y.sum().backward()
            expectRelative(y.scalars, v.y, rtol: 1e-5, atol: 1e-6, "\(name) forward")
            expectRelative(t.grad!.scalars, v.grad, rtol: 1e-4, atol: 1e-6, "\(name) gradient")
        }
        guard case .list(let m) = ref.activations["softmax_in"]!, case .list(let sm) = ref.activations["softmax"]!,
              case .list(let lsm) = ref.activations["log_softmax"]! else { return }
        let input = Tensor(shape: [3, 5], scalars: m)
        expectRelative(input.softmax().scalars, sm, rtol: 1e-5, atol: 1e-7, "softmax")
        expectRelative(input.logSoftmax().scalars, lsm, rtol: 1e-5, atol: 1e-6, "log_softmax")
    }
}

@Suite("Optimiser construction")
struct OptimizerConstructionTests {
    @Test func unknownOptionsAreRejected() {
        let e = #expect(throws: NNError.self) { try Optimizer.named("adam", options: ["momentum": 0.9]) }
        #expect(e?.description.contains("unknown option 'momentum'") == true)
        #expect(throws: NNError.self) { try Optimizer.named("adamax") }
        #expect((try? Optimizer.named("sgd", options: ["momentum": 0.9, "nesterov": 1]))?.name == "sgd")
    }

    @Test func absurdLayerSizesAreRejected() {
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("Dense"), "units": .number(1e12)]) }
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("Dense"), "units": .number(0)]) }
    }
}
