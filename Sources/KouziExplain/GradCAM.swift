import KouziNN
import KouziTensor

/// Grad-CAM (Selvaraju et al. 2017): where a convolutional model looked. The feature map of a convolutional layer
/// (by default the last convolution whose output still has height and width) is weighted per channel by the mean gradient of the
/// row's target output over the map's positions; the rectified sum over channels, resized bilinearly to the input's
/// height and width, is the heat map.
public enum GradCAM {
    /// Heat maps of a batch.
    public struct Result: Sendable {
        /// The layer whose feature map was used.
        public var layer: String
        /// One map per row, `[rows, height, width]` in the input's resolution.
        public var maps: Tensor
        /// The map's resolution before resizing.
        public var featureHeight: Int
        public var featureWidth: Int
    }

    /// The heat maps of `x` (`[rows, height, width, channels]`) for each row's target output.
    /// - Parameter layer: the layer to read (nil: the last convolution whose output is a feature map larger than 1 × 1,
    ///   else the last layer of any kind with such an output).
    /// - Throws: ``ExplainError/invalidSetting(_:)`` for a model without a spatial feature map or an unknown layer;
    ///   the gradient methods' errors for a model that is not differentiable.
    public static func explain(model: Model, x: Tensor, targets: [Int], layer: String? = nil) throws -> Result {
        try GradientAttribution.requireDifferentiable(model)
        guard x.rank == 4 else {
            throw ExplainError.invalidInput("Grad-CAM explains images [rows, height, width, channels], got shape \(x.shape)")
        }
        guard x.shape[0] == targets.count, x.shape[0] > 0 else {
            throw ExplainError.invalidInput("\(targets.count) targets for \(x.shape[0]) images")
        }
        let input = x.cast(to: .float32)
        let chosen = try layer ?? lastFeatureMap(model, sample: input.rows([0]))
        var captured: Tensor?
        let y = try withLearningPhase(training: false) {
            try model.run([input]) { name, value in
                guard name == chosen, captured == nil else { return value }
                var leaf = value.detached()
                leaf.requiresGrad = true
                captured = leaf
                return leaf
            }
        }[0]
        guard let activation = captured else {
            throw ExplainError.invalidSetting("\(model.name) has no layer named '\(chosen)'")
        }
        guard activation.rank == 4, activation.shape[1] >= 1, activation.shape[2] >= 1 else {
            throw ExplainError.invalidSetting("layer '\(chosen)' outputs shape \(activation.shape), not a feature map [rows, height, width, channels]")
        }
        let seed = try GradientAttribution.targetSeed(y, targets: targets)
        guard y.requiresGrad else { throw ExplainError.notDifferentiable("\(model.name)'s output does not depend on layer '\(chosen)'") }
        guard let gradient = y.gradients(wrt: [activation], seed: seed)[0] else {
            throw ExplainError.notDifferentiable("no gradient reaches layer '\(chosen)'")
        }
        let (n, h, w, c) = (activation.shape[0], activation.shape[1], activation.shape[2], activation.shape[3])
        let a = activation.detached().scalars, g = gradient.scalars
        var cam = [Float](repeating: 0, count: n * h * w)
        for r in 0..<n {
            var weights = [Float](repeating: 0, count: c)
            for p in 0..<(h * w) { for k in 0..<c { weights[k] += g[(r * h * w + p) * c + k] } }
            for k in 0..<c { weights[k] /= Float(h * w) }
            for p in 0..<(h * w) {
                var sum: Float = 0
                for k in 0..<c { sum += weights[k] * a[(r * h * w + p) * c + k] }
                cam[r * h * w + p] = Swift.max(0, sum)
            }
        }
        let maps = withoutGrad {
            Tensor(shape: [n, h, w, 1], scalars: cam).resizedBilinear(height: x.shape[1], width: x.shape[2]).reshaped([n, x.shape[1], x.shape[2]])
        }
        return Result(layer: chosen, maps: maps, featureHeight: h, featureWidth: w)
    }

    /// The name of the last convolution (else of the last layer) whose output on `sample` is a feature map larger than
    /// 1 × 1.
    static func lastFeatureMap(_ model: Model, sample: Tensor) throws -> String {
        var last: String?, lastConvolution: String?
        _ = try withoutGrad {
            try withLearningPhase(training: false) {
                try model.run([sample]) { name, value in
                    if value.rank == 4, value.shape[1] * value.shape[2] > 1 {
                        last = name
                        if name.hasPrefix("conv") || name.contains("_conv") { lastConvolution = name }
                    }
                    return value
                }
            }
        }
        guard let last = lastConvolution ?? last else {
            throw ExplainError.invalidSetting("\(model.name) has no convolutional feature map (no layer outputs [rows, height, width, channels] "
                + "larger than 1 × 1); Grad-CAM explains convolutional image models")
        }
        return last
    }
}
