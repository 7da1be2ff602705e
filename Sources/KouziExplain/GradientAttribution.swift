import KouziNN
import KouziTensor

/// Attributions from a model's gradients with respect to its input, for any differentiable model with one float
/// input: the saliency map (Simonyan et al. 2014), gradient × input (Shrikumar et al. 2016) and integrated gradients
/// (Sundararajan et al. 2017). Each explains one output per row (a class's probability, a regression's value), the
/// row's `target`.
///
/// Gradients are taken with ``Tensor/gradients(wrt:seed:)``, which accumulates nothing into the model's weights, so
/// explanations may run beside inference and each other on one loaded model.
public enum GradientAttribution {
    /// The most integration steps.
    public static let maximumSteps = 1024

    /// The gradient of output `targets[r]` of row r with respect to row r of `x`, and the model's outputs.
    /// - Throws: ``ExplainError/notDifferentiable(_:)`` for a model with integer inputs (token ids) or several inputs,
    ///   or whose output does not depend differentiably on its input.
    public static func gradients(model: Model, x: Tensor, targets: [Int]) throws -> (gradient: Tensor, outputs: Tensor) {
        try requireDifferentiable(model)
        guard x.rank >= 1, x.shape[0] == targets.count, x.shape[0] > 0 else {
            throw ExplainError.invalidInput("\(targets.count) targets for an input of shape \(x.shape)")
        }
        var leaf = x.cast(to: .float32).detached()
        leaf.requiresGrad = true
        let y = try withLearningPhase(training: false) { try model([leaf]) }[0]
        let seed = try targetSeed(y, targets: targets)
        guard y.requiresGrad else {
            throw ExplainError.notDifferentiable("\(model.name)'s output does not depend differentiably on its input")
        }
        let outputs = y.detached()
        guard let g = y.gradients(wrt: [leaf], seed: seed)[0] else {
            throw ExplainError.notDifferentiable("no gradient reaches \(model.name)'s input")
        }
        return (g.reshaped(x.shape), outputs)
    }

    /// The saliency map: the absolute gradient of each row's target output.
    public static func saliency(model: Model, x: Tensor, targets: [Int]) throws -> Tensor {
        try gradients(model: model, x: x, targets: targets).gradient.abs()
    }

    /// Gradient × input.
    public static func gradientTimesInput(model: Model, x: Tensor, targets: [Int]) throws -> Tensor {
        let gradient = try gradients(model: model, x: x, targets: targets).gradient
        return withoutGrad { gradient * x.cast(to: .float32) }
    }

    /// Integrated gradients: `(x − x') ⊙ ∫₀¹ ∇F(x' + α (x − x')) dα` by the trapezoid rule.
    ///
    /// Completeness — the attributions summing to `F(x) − F(x')` — holds up to the quadrature's error, which a ReLU
    /// network's kinks make first-order in the step: a row whose gap exceeds `tolerance` is integrated again with
    /// twice the steps, up to ``maximumSteps``. The result reports each row's remaining gap.
    /// - Parameters:
    ///   - baseline: the reference input x' (nil: zeros), one sample's values used for every row.
    ///   - steps: the first number of intervals.
    ///   - tolerance: the completeness gap that ends the refinement (nil: no refinement).
    public static func integratedGradients(model: Model, x: Tensor, targets: [Int], baseline: Tensor? = nil,
                                           steps: Int = 64, tolerance: Double? = 1e-4) throws -> (attributions: Tensor, gap: [Double]) {
        guard (1...maximumSteps).contains(steps) else {
            throw ExplainError.invalidSetting("steps must be between 1 and \(maximumSteps), got \(steps)")
        }
        guard x.rank >= 2, x.shape[0] > 0, x.shape[0] == targets.count else {
            throw ExplainError.invalidInput("\(targets.count) targets for an input of shape \(x.shape) (rows first)")
        }
        let sample = Array(x.shape.dropFirst()), size = sample.reduce(1, *)
        let reference = baseline.map { $0.cast(to: .float32).scalars } ?? [Float](repeating: 0, count: size)
        guard reference.count == size else {
            throw ExplainError.invalidInput("the baseline has \(reference.count) values; a sample of shape \(sample) has \(size)")
        }
        // The input itself first: a model without a gradient path is refused here, before any point of the path
        // (which need not be a valid input: ids between ids) reaches it.
        _ = try gradients(model: model, x: x.rows([0]), targets: [targets[0]])
        let values = x.cast(to: .float32).scalars
        var attributions = [Float](), gaps: [Double] = []
        attributions.reserveCapacity(values.count)
        for r in 0..<x.shape[0] {
            let row = Array(values[(r * size)..<((r + 1) * size)])
            var intervals = steps
            var (attribution, gap) = try integrate(model, row: row, reference: reference, sample: sample, target: targets[r], steps: intervals)
            while let tolerance, gap > tolerance, intervals * 2 <= maximumSteps {
                intervals *= 2
                (attribution, gap) = try integrate(model, row: row, reference: reference, sample: sample, target: targets[r], steps: intervals)
            }
            attributions += attribution
            gaps.append(gap)
        }
        return (Tensor(shape: x.shape, scalars: attributions), gaps)
    }

    /// One row's integrated gradients over `steps` intervals, and its completeness gap.
    private static func integrate(_ model: Model, row: [Float], reference: [Float], sample: [Int], target: Int,
                                  steps: Int) throws -> ([Float], Double) {
        let size = row.count
        var path = [Float]()
        path.reserveCapacity((steps + 1) * size)
        for k in 0...steps {
            let alpha = Float(k) / Float(steps)
            for (v, b) in zip(row, reference) { path.append(b + alpha * (v - b)) }
        }
        let (g, y) = try gradients(model: model, x: Tensor(shape: [steps + 1] + sample, scalars: path),
                                   targets: [Int](repeating: target, count: steps + 1))
        let grads = g.scalars, width = y.count / (steps + 1), outputs = y.scalars
        var attribution = [Float](), sum = 0.0
        attribution.reserveCapacity(size)
        for (i, (v, b)) in zip(row, reference).enumerated() {
            var integral = 0.0
            for k in 0...steps { integral += (k == 0 || k == steps ? 0.5 : 1) * Double(grads[k * size + i]) }
            let a = (Double(v) - Double(b)) * integral / Double(steps)
            attribution.append(Float(a))
            sum += a
        }
        let difference = Double(outputs[steps * width + target]) - Double(outputs[target])
        return (attribution, abs(sum - difference))
    }

    /// Refuses models whose input is not one float tensor.
    static func requireDifferentiable(_ model: Model) throws {
        let inputs = model.inputSignature
        guard inputs.count <= 1 else {
            throw ExplainError.notDifferentiable("\(model.name) takes \(inputs.count) inputs; gradient methods explain models with one")
        }
        if let input = inputs.first, input.dtype != DType.float32.rawValue {
            throw ExplainError.notDifferentiable("\(model.name) reads \(input.dtype) values (token or category ids), which have no "
                + "gradient; explain it by token attributions or Kernel SHAP instead")
        }
    }

    /// The backward seed that picks output `targets[r]` of each row r of `y` (`[rows, outputs]`).
    /// - Throws: ``ExplainError/invalidSetting(_:)`` for a target that is not one of the outputs.
    static func targetSeed(_ y: Tensor, targets: [Int]) throws -> Tensor {
        let width = try outputWidth(y)
        if let bad = targets.first(where: { !(0..<width).contains($0) }) {
            throw ExplainError.invalidSetting("target \(bad) is not one of the model's \(width) outputs")
        }
        var seed = [Float](repeating: 0, count: y.count)
        for (r, t) in targets.enumerated() { seed[r * width + t] = 1 }
        return Tensor(shape: y.shape, scalars: seed)
    }

    static func outputWidth(_ y: Tensor) throws -> Int {
        guard y.rank == 2 else { throw ExplainError.invalidInput("the model's output must be [rows, outputs], got \(y.shape)") }
        return y.shape[1]
    }
}
